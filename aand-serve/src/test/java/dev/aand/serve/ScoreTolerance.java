package dev.aand.serve;

/**
 * How far a score may move when the same image is scored in an engine batch of another size. At
 * the tests' 32 px, libtorch/oneDNN picks different convolution kernels for different batch sizes,
 * which changes teacher features in the last bits and scores by about one float ulp (measured:
 * 1.2e-7 between a batch of 1 and micro-batches of up to 8). The same batch composition is
 * bit-identical (tolerance 0), and so are batches at 256 px.
 */
final class ScoreTolerance {
    static final double ACROSS_BATCH_SIZES = 1e-6;

    private ScoreTolerance() {}
}
