package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.config.AandConfig;
import dev.aand.model.Method;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options reach the configuration record; help lists every command. */
class CommandLineTest {
    @Test
    void trainOptionsBecomeTheConfiguration() {
        TrainCommand train = new TrainCommand();
        new CommandLine(train).parseArgs("--dataset", "mvtec", "--root", "/data", "--category", "bottle",
                "--out", "m", "--backbone", "resnet18", "--method", "rd+hkd", "--image-size", "128",
                "--stage1-epochs", "3", "--stage2-epochs", "4", "--validation", "0.1", "--seed", "9");
        AandConfig c = train.hp.toConfig();
        assertEquals("resnet18", c.backbone());
        assertEquals(Method.RD_HKD, c.method());
        assertEquals(128, c.imageSize());
        assertEquals(3, c.stage1Epochs());
        assertEquals(4, c.stage2Epochs());
        assertEquals(0.1, c.validationFraction());
        assertEquals(9L, c.seed());
        assertEquals(16, c.batchSize(), "unset options keep the paper's defaults");
    }

    @Test
    void helpListsTheCommandsAndABadMethodIsNamed() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String c : new String[] {"demo", "train", "test", "predict", "bench", "serve"}) {
            assertTrue(out.toString().contains(c), c + " in help");
        }
        StringWriter err = new StringWriter();
        CommandLine cl2 = Main.commandLine();
        cl2.setErr(new PrintWriter(err));
        assertEquals(1, cl2.execute("bench", "--method", "patchcore"));
        assertTrue(err.toString().contains("unknown method 'patchcore'"), err.toString());
    }
}
