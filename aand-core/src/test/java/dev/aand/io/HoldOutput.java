package dev.aand.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second process for {@link OutputDirTest}: claims an output folder, stages 1 MB into it, says
 * so on stdout and waits until stdin closes (or it is killed, which is the point).
 */
public final class HoldOutput {
    private HoldOutput() {}

    public static void main(String[] args) throws Exception {
        try (OutputDir out = OutputDir.open(Path.of(args[0]), OutputKind.REPORT, true)) {
            Files.write(out.staging().resolve("big.bin"), new byte[1 << 20]);
            System.out.println("holding " + out.staging());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait
            }
        }
    }
}
