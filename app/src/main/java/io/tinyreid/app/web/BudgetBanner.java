package io.tinyreid.app.web;

import java.util.function.Supplier;

import io.tinyreid.app.engine.GalleryCapacity;
import io.tinyreid.app.gallery.Gallery;

/**
 * The banner of a web UI whose doorbell is off because the household outgrew the memory budget:
 * why, and what to do; once removals make the household fit, it says so and asks for a restart.
 * The plan is laid out again only when the gallery's size changed.
 */
public final class BudgetBanner implements Supplier<String> {
    private final Gallery gallery;
    private final GalleryCapacity capacity;
    private final String why;
    private int checkedDescriptors = -1;
    private boolean fits;

    /** For {@code gallery} against {@code capacity}; {@code why} is the message 'run' printed. */
    public BudgetBanner(Gallery gallery, GalleryCapacity capacity, String why) {
        this.gallery = gallery;
        this.capacity = capacity;
        this.why = why;
    }

    @Override
    public synchronized String get() {
        int descriptors = gallery.descriptorCount();
        if (descriptors != checkedDescriptors) {
            fits = capacity.fits(gallery.model(), descriptors);
            checkedDescriptors = descriptors;
        }
        if (fits) {
            return "<strong>The household fits the doorbell's memory now</strong> (" + descriptors + " gallery descriptors). "
                    + "Restart <code>tinyreid run</code> to switch the doorbell on.";
        }
        return "<strong>The doorbell is off:</strong> " + Html.esc(why) + ". Nobody is watched or announced until the "
                + "household fits: remove people or photos on the <a href=\"/people\">People</a> page (or restart "
                + "<code>tinyreid run</code> with a bigger <code>--budget</code> or <code>--display none</code>). "
                + "This banner says when it fits.";
    }
}
