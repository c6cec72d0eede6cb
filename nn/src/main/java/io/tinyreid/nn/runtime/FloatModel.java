package io.tinyreid.nn.runtime;

import io.tinyreid.nn.exec.FloatExecutor;
import io.tinyreid.nn.ir.Graph;
import io.tinyreid.nn.plan.MemoryPlan;

/** The float32 mode: the graph run by {@link FloatExecutor} with weights on the heap. */
final class FloatModel implements CompiledModel {
    private final Graph graph;
    private final FloatExecutor executor;

    FloatModel(Graph graph) {
        this.graph = graph;
        executor = new FloatExecutor(graph);
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
    public Mode mode() {
        return Mode.FLOAT;
    }

    @Override
    public void embed(float[] input, float[] descriptor) {
        executor.run(input, descriptor);
    }

    @Override
    public MemoryPlan plan() {
        return null;
    }

    @Override
    public void close() {
    }
}
