package dev.aand.train;

/**
 * Where a training stage starts and what it does after each epoch: a resumed run starts after
 * the epochs a checkpoint holds, with the optimizer as it was, and every epoch ends with a new
 * checkpoint. The trainers know nothing about files; {@link TrainingRun} binds this to them.
 */
public interface StageProgress {
    /** Epochs of the stage already done (0 for a fresh start). */
    int epochsDone();

    /** The optimizer state after {@link #epochsDone()} epochs, or null for a fresh start. */
    Adam.State optimizer();

    /** Called after every epoch with the optimizer as it stands after that epoch. */
    void epochEnded(EpochLog log, Adam adam);

    /** A fresh start that saves nothing. */
    StageProgress FRESH = new StageProgress() {
        @Override
        public int epochsDone() {
            return 0;
        }

        @Override
        public Adam.State optimizer() {
            return null;
        }

        @Override
        public void epochEnded(EpochLog log, Adam adam) {}
    };
}
