package io.tinyreid.nn.codegen;

import java.nio.file.Path;

import io.tinyreid.nn.program.Program;

/**
 * What {@link CodeGenerator} wrote.
 *
 * @param dir       the output directory
 * @param program   the program the C prints (its arenaBytes is the arena's size)
 * @param blobBytes bytes of the weight blob (the model file: weight tiles are read from it at their file offsets)
 * @param segments  rows of the weight-tile table
 */
public record GeneratedC(Path dir, Program program, long blobBytes, int segments) {
    /** Bytes of the static arena: the program's arenaBytes (the plan's peak). */
    public long arenaBytes() {
        return program.arenaBytes();
    }

    /** Weight bytes read from the blob per inference. */
    public long weightBytes() {
        return program.weightBytes();
    }
}
