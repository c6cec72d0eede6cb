package io.tinyreid.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class SharedDataTest {
    @Test
    void designNotesArePresentBesideTheCheckout() {
        assertTrue(Files.isRegularFile(SharedData.require("DESIGN.md")));
    }
}
