package dev.aand.data;

import java.util.List;

/** An {@link AnomalyDataset} whose samples have already been enumerated. */
record ListedDataset(String name, String category, List<Sample> train, List<Sample> validation,
        List<Sample> test) implements AnomalyDataset {
    ListedDataset {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }
}
