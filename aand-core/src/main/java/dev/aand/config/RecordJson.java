package dev.aand.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Strict shape check of a JSON object that stores a record: every component present with a value
 * of its type, no unknown key. Saved files (config.json, model.json) go through it before Gson
 * fills the record, so a missing or mistyped value is an error naming the key instead of a silent
 * default or a bare NumberFormatException.
 */
public final class RecordJson {
    private RecordJson() {}

    /**
     * @param tree the object read from the file
     * @param type the record it stores; nested records are checked the same way
     * @param nullable component names that may be JSON null (others may not)
     * @param where prefix of every message, e.g. "models/x/config.json: " (may be empty)
     * @throws IllegalArgumentException naming the first missing, unknown or mistyped key
     */
    public static void check(JsonObject tree, Class<? extends Record> type, Set<String> nullable, String where) {
        Set<String> known = new HashSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String key = c.getName();
            known.add(key);
            if (!tree.has(key)) {
                throw new IllegalArgumentException(where + "missing key '" + key + "'");
            }
            checkValue(tree.get(key), c.getType(), nullable.contains(key), where, key, nullable);
        }
        for (String key : tree.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + "unknown key '" + key + "'");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkValue(JsonElement v, Class<?> type, boolean nullable, String where, String key,
            Set<String> nullableKeys) {
        if (v.isJsonNull() && nullable) {
            return;
        }
        String expected;
        if (type == int.class || type == long.class) {
            expected = "an integer";
            if (isNumber(v)) {
                try {
                    BigDecimal d = v.getAsBigDecimal();
                    if (type == int.class) {
                        d.intValueExact();
                    } else {
                        d.longValueExact();
                    }
                    return;
                } catch (ArithmeticException | NumberFormatException e) {
                    // reported below
                }
            }
        } else if (type == double.class) {
            expected = "a number";
            if (isNumber(v)) {
                try {
                    v.getAsDouble();
                    return;
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        } else if (type == String.class || type.isEnum()) {
            expected = "a string";
            if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
                return;
            }
        } else if (type.isRecord()) {
            expected = "an object";
            if (v.isJsonObject()) {
                check(v.getAsJsonObject(), (Class<? extends Record>) type, nullableKeys, where + key + ".");
                return;
            }
        } else {
            throw new IllegalStateException("no JSON check for " + type);
        }
        String found = v.isJsonNull() ? "null" : v.toString();
        throw new IllegalArgumentException(where + "key '" + key + "' must be " + expected
                + (nullable ? " or null" : "") + ", found " + (found.length() > 60 ? found.substring(0, 60) + "..." : found));
    }

    private static boolean isNumber(JsonElement v) {
        return v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber();
    }
}
