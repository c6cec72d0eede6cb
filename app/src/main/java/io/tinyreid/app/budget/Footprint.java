package io.tinyreid.app.budget;

import java.util.List;

/**
 * A frame-loop component that declares the memory it holds, read from its own buffers (array
 * lengths, a network's memory plan), for the whole-device plan.
 */
@FunctionalInterface
public interface Footprint {
    /** The component's buffers and the phases in which each is live. */
    List<Region> regions();
}
