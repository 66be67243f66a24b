package dev.aand.backbone.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Emits pickle opcodes by hand, in protocol 2 or protocol 4 style, for crafted test checkpoints. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int protocol;

    PickleBuilder(int protocol) {
        this.protocol = protocol;
        op(0x80).op(protocol);
        if (protocol >= 4) {
            op(0x95); // FRAME with a dummy length: only a hint for readers
            for (int i = 0; i < 8; i++) {
                op(0);
            }
        }
    }

    PickleBuilder op(int b) {
        out.write(b);
        return this;
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 4 && b.length < 256) {
            op(0x8c).op(b.length);
            out.writeBytes(b);
            return op(0x94); // MEMOIZE
        }
        op('X');
        for (int i = 0; i < 4; i++) {
            op((b.length >>> (8 * i)) & 0xff);
        }
        out.writeBytes(b);
        return this;
    }

    PickleBuilder global(String module, String name) {
        if (protocol >= 4) {
            return str(module).str(name).op(0x93);
        }
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBuilder integer(int v) {
        if (v >= 0 && v < 256) {
            return op('K').op(v);
        }
        op('J');
        for (int i = 0; i < 4; i++) {
            op((v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** Any long, as LONG1 with eight little-endian two's-complement bytes. */
    PickleBuilder longValue(long v) {
        op(0x8a).op(8);
        for (int i = 0; i < 8; i++) {
            op((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder tuple() {
        return op('t');
    }

    PickleBuilder emptyOrderedDict() {
        return global("collections", "OrderedDict").op(')').op('R');
    }

    byte[] stop() {
        op('.');
        return out.toByteArray();
    }
}
