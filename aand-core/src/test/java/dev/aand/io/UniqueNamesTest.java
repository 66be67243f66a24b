package dev.aand.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UniqueNamesTest {
    @Test
    void repeatsGetNumberedNamesInClaimOrder() {
        UniqueNames n = new UniqueNames();
        assertEquals("maps/good/000.png.npy", n.claim("maps/good/000.png.npy"));
        assertEquals("maps/good/000.jpg.npy", n.claim("maps/good/000.jpg.npy"));
        assertEquals("maps/good/000.png~2.npy", n.claim("maps/good/000.png.npy"));
        assertEquals("maps/good/000.PNG~3.npy", n.claim("maps/good/000.PNG.npy"), "case-insensitive");
        assertEquals("maps/a.b/readme", n.claim("maps/a.b/readme"));
        assertEquals("maps/a.b/readme~2", n.claim("maps/a.b/readme"));
    }
}
