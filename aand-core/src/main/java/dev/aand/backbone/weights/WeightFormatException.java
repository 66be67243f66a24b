package dev.aand.backbone.weights;

/**
 * A weight file could not be read, written or matched to a model. Unchecked so that loaders can be
 * used from lambdas; the message always names the file (or source) and the problem, because an
 * operator reading a log has nothing else to go on.
 */
public class WeightFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WeightFormatException(String message) {
        super(message);
    }

    public WeightFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
