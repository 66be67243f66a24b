package dev.aand.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aand.engine.OfflineEngine;
import dev.aand.testing.Fixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Java ResNets expose torchvision's state_dict: same keys, order, shapes and dtypes. */
class ResNetKeysTest {
    @BeforeAll
    static void engine() {
        OfflineEngine.get();
    }

    @ParameterizedTest
    @CsvSource({"resnet18, 11689512", "resnet50, 25557032", "wide_resnet50_2, 68883240"})
    void fullNetworkMatchesTorchvisionStateDict(String name, long floatParams) throws Exception {
        List<String> expected = Files.readAllLines(
                Fixtures.fixture("01_state_dict_keys/" + name + ".keys.tsv"));
        ResNetSpec spec = switch (name) {
            case "resnet18" -> ResNetSpec.resnet18();
            case "resnet50" -> ResNetSpec.resnet50();
            default -> ResNetSpec.wideResnet50_2();
        };
        try (NDManager m = NDManager.newBaseManager()) {
            ResNet net = ResNet.random(m, spec, true, 1);
            List<String> actual = describe(net.stateDict());
            assertEquals(expected.size(), actual.size(), "number of state_dict entries");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), "state_dict entry " + i);
            }
            assertEquals(floatParams, net.parameterCount());
            assertTrue(net.parameters().values().stream().noneMatch(NDArray::hasGradient),
                    "a teacher's parameters are frozen");
        }
    }

    @ParameterizedTest
    @CsvSource({"resnet18", "resnet34", "resnet50", "wide_resnet50_2"})
    void truncatedTeacherStopsAfterLayer3(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            ResNet net = (ResNet) Backbones.create(name, null, m, 3);
            Map<String, NDArray> sd = net.stateDict();
            assertTrue(sd.containsKey("layer3.0.conv1.weight"));
            assertFalse(sd.keySet().stream().anyMatch(k -> k.startsWith("layer4.") || k.startsWith("fc.")));
            assertEquals(name, net.name());
            int last = name.startsWith("resnet") && !name.equals("resnet50") ? 256 : 1024;
            assertEquals(last, net.levels().get(2).channels());
        }
    }

    static List<String> describe(Map<String, NDArray> stateDict) {
        List<String> out = new ArrayList<>();
        stateDict.forEach((k, v) -> out.add(k + "\t" + shape(v) + "\t" + dtype(v)));
        return out;
    }

    private static String shape(NDArray v) {
        return LongStream.of(v.getShape().getShape()).mapToObj(Long::toString)
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String dtype(NDArray v) {
        return v.getDataType() == DataType.INT64 ? "int64"
                : v.getDataType() == DataType.FLOAT32 ? "float32" : v.getDataType().toString();
    }
}
