package io.tinyreid.nn.runtime;

import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.plan.MemoryPlan;
import io.tinyreid.nn.plan.PlanOptions;
import io.tinyreid.nn.program.KernelFamily;
import io.tinyreid.nn.program.Program;
import io.tinyreid.nn.store.ModelFile;

/**
 * What the planned front ends share: the model lowered to a {@link Program} for their kernel
 * family, and the {@link ProgramRunner} that interprets it. The front ends add the arena of their
 * family and how inputs go in and descriptors come out.
 */
abstract sealed class PlannedNetwork implements CompiledModel permits PlannedModel, PlannedIntegerModel {
    final Graph graph;
    final Program program;
    /** Set once by the front end's constructor, after its arena exists. */
    ProgramRunner runner;

    /** Plans and lowers {@code model}; fails with {@code region 'L2' overflowed by N bytes} if the plan exceeds the budget. */
    PlannedNetwork(ModelFile model, KernelFamily family, PlanOptions options) {
        this.graph = model.graph();
        this.program = Program.lower(model, family, options);
    }

    /** The program this model runs. */
    public Program program() {
        return program;
    }

    @Override
    public InputGeometry input() {
        return InputGeometry.of(graph);
    }

    @Override
    public int descriptorLength() {
        return graph.output().shape().size();
    }

    @Override
    public MemoryPlan plan() {
        return program.plan();
    }

    @Override
    public void close() {
        runner.close();
    }
}
