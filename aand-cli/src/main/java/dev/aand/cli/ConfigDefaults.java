package dev.aand.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.aand.config.AandConfig;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Defaults of the options that set a hyper-parameter come from {@link AandConfig#defaults()}: the
 * configuration record is the one place they are written. An option marks its configuration key
 * with {@link Key}; {@code ${DEFAULT-VALUE}} in its help shows the record's value.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** The {@link AandConfig} component an option sets. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Key {
        String value();
    }

    private static final JsonObject DEFAULTS = AandConfig.gson().toJsonTree(AandConfig.defaults()).getAsJsonObject();

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg.userObject() instanceof Field f) || !f.isAnnotationPresent(Key.class)) {
            return null;
        }
        String key = f.getAnnotation(Key.class).value();
        if (!DEFAULTS.has(key)) {
            throw new IllegalStateException(f + " names configuration key '" + key + "', which does not exist");
        }
        JsonElement v = DEFAULTS.get(key);
        return v.isJsonNull() ? null : v.getAsString();
    }
}
