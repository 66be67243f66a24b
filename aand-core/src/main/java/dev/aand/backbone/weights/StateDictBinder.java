package dev.aand.backbone.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Strict name and shape check between a model's expected parameters and a loaded state_dict. A
 * checkpoint that silently half-loads is worse than one that fails, so every missing key,
 * unexpected key and shape mismatch is reported together. Keys matched by the ignore predicate
 * (for example a classifier head {@code fc.*} the backbone does not have) are left out of all
 * three checks.
 */
public final class StateDictBinder {

    private static final int LIST_LIMIT = 20;

    private final Predicate<String> ignored;

    private StateDictBinder(Predicate<String> ignored) {
        this.ignored = ignored;
    }

    /** A binder that ignores nothing. */
    public static StateDictBinder strict() {
        return new StateDictBinder(k -> false);
    }

    /** This binder, additionally ignoring keys for which {@code predicate} is true. */
    public StateDictBinder ignoring(Predicate<String> predicate) {
        Objects.requireNonNull(predicate);
        return new StateDictBinder(ignored.or(predicate));
    }

    /**
     * This binder, additionally ignoring keys matching any glob: {@code *} matches any run of
     * characters including dots, e.g. {@code "fc.*"}, {@code "*.num_batches_tracked"}.
     */
    public StateDictBinder ignoringGlobs(String... globs) {
        Predicate<String> p = k -> false;
        for (String g : globs) {
            Pattern re = globToRegex(g);
            p = p.or(k -> re.matcher(k).matches());
        }
        return ignoring(p);
    }

    /** A key present in both maps whose shapes differ. */
    public record ShapeMismatch(String key, long[] expected, long[] actual) {
        @Override
        public String toString() {
            return key + " expected " + HostTensor.formatShape(expected) + " but file has "
                    + HostTensor.formatShape(actual);
        }
    }

    /** Outcome of a check; {@link #ok()} when nothing is missing, unexpected or mis-shaped. */
    public record Report(List<String> missing, List<String> unexpected, List<ShapeMismatch> mismatches) {
        public boolean ok() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatches.isEmpty();
        }

        /** One paragraph listing every problem (long lists are abbreviated). */
        public String describe() {
            if (ok()) {
                return "state_dict matches the model";
            }
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(count(missing.size(), "missing key") + " (in the model, not in the file): " + abbreviate(missing));
            }
            if (!unexpected.isEmpty()) {
                parts.add(count(unexpected.size(), "unexpected key") + " (in the file, not in the model): "
                        + abbreviate(unexpected));
            }
            if (!mismatches.isEmpty()) {
                parts.add(count(mismatches.size(), "shape mismatch") + ": " + abbreviate(mismatches));
            }
            return String.join("; ", parts);
        }

        /** Throws a {@link WeightFormatException} naming {@code source} unless {@link #ok()}. */
        public void throwIfFailed(String source) {
            if (!ok()) {
                throw new WeightFormatException(source + ": state_dict does not match the model: " + describe());
            }
        }
    }

    /**
     * Compares names and shapes. Missing and mismatched keys are listed in the model's order,
     * unexpected keys in the file's order.
     */
    public Report check(Map<String, long[]> expected, Map<String, HostTensor> loaded) {
        List<String> missing = new ArrayList<>();
        List<ShapeMismatch> mismatches = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String key = e.getKey();
            if (ignored.test(key)) {
                continue;
            }
            HostTensor t = loaded.get(key);
            if (t == null) {
                missing.add(key);
            } else if (!Arrays.equals(e.getValue(), t.shape())) {
                mismatches.add(new ShapeMismatch(key, e.getValue().clone(), t.shape().clone()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : loaded.keySet()) {
            if (!expected.containsKey(key) && !ignored.test(key)) {
                unexpected.add(key);
            }
        }
        return new Report(List.copyOf(missing), List.copyOf(unexpected), List.copyOf(mismatches));
    }

    /**
     * Checks and returns the loaded tensors for the expected (non-ignored) keys, in the model's
     * order; throws {@link WeightFormatException} naming {@code source} on any problem.
     */
    public LinkedHashMap<String, HostTensor> bind(Map<String, long[]> expected, Map<String, HostTensor> loaded,
            String source) {
        check(expected, loaded).throwIfFailed(source);
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        for (String key : expected.keySet()) {
            if (!ignored.test(key)) {
                out.put(key, loaded.get(key));
            }
        }
        return out;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            re.append(Pattern.quote(part)).append(".*");
        }
        re.setLength(re.length() - 2);
        return Pattern.compile(re.toString());
    }

    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("h") ? noun + "es" : noun + "s");
    }

    private static String abbreviate(List<?> items) {
        if (items.size() <= LIST_LIMIT) {
            return items.toString();
        }
        return items.subList(0, LIST_LIMIT) + " ... and " + (items.size() - LIST_LIMIT) + " more";
    }
}
