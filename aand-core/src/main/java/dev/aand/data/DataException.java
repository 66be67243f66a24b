package dev.aand.data;

/**
 * Bad input data: a missing or malformed dataset folder, an unreadable image, a mask that does
 * not fit its image. Unchecked, because callers can rarely do more than report it; the message
 * always names the offending file or folder so an operator can fix it.
 */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
