package io.tinyreid.app.engine;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import io.tinyreid.app.budget.DoorbellBudget;
import io.tinyreid.app.budget.DoorbellLayout;
import io.tinyreid.app.face.FaceModel;
import io.tinyreid.app.gallery.Gallery;
import io.tinyreid.app.gallery.Person;
import io.tinyreid.app.gallery.TemplateRule;

/**
 * Whether an enrolment keeps the household inside the doorbell's memory budget: the same
 * whole-device plan {@code tinyreid run} lays out before it starts, asked before photos are
 * committed, so a household can never grow into a doorbell that will not start.
 */
public final class GalleryCapacity {
    /** Caps the search for the largest gallery (a 512 KiB doorbell holds a few hundred). */
    private static final int MAX_SEARCHED = 1 << 16;

    private final Plans plans;
    private final DoorbellBudget.Display display;
    private final long budget;

    /** The plan for {@code descriptors} gallery descriptors, or empty for a model run unplanned. */
    @FunctionalInterface
    public interface Plans {
        /** See {@link Engines#plan}. */
        Optional<DoorbellLayout> plan(FaceModel model, DoorbellBudget.Display display, int descriptors, long budget);
    }

    /** Capacity of {@code engines}' plans for {@code display} within {@code budget} bytes. */
    public GalleryCapacity(Plans plans, DoorbellBudget.Display display, long budget) {
        this.plans = plans;
        this.display = display;
        this.budget = budget;
    }

    /** Whether {@code descriptors} gallery descriptors fit beside the frame loop (always for an unplanned model). */
    public boolean fits(FaceModel model, int descriptors) {
        return plans.plan(model, display, descriptors, budget).map(DoorbellLayout::fits).orElse(true);
    }

    /**
     * The most gallery descriptors that fit, searched on the plan itself (the frame loop's share
     * can depend on the gallery: dlib-resnet's networks get what is left); empty for a model run
     * unplanned, -1 when the frame loop alone does not fit.
     */
    public OptionalInt maxDescriptors(FaceModel model) {
        Optional<DoorbellLayout> empty = plans.plan(model, display, 0, budget);
        if (empty.isEmpty()) {
            return OptionalInt.empty();
        }
        if (!empty.get().fits()) {
            return OptionalInt.of(-1);
        }
        // Start from the headroom the empty gallery leaves (exact when only the gallery grows), then gallop.
        long each = (long) model.dimension() * model.format().bytesPerValue();
        int guess = (int) Math.min(MAX_SEARCHED, empty.get().headroom() / each);
        int lo = 0; // fits
        int hi = guess; // first size not known to fit
        if (fits(model, guess)) {
            lo = guess;
            int step = 1;
            hi = guess + 1;
            while (hi < MAX_SEARCHED && fits(model, hi)) {
                lo = hi;
                step *= 2;
                hi = lo + step;
            }
            if (hi >= MAX_SEARCHED) {
                return OptionalInt.of(lo);
            }
        }
        while (hi - lo > 1) { // lo fits, hi does not
            int mid = (lo + hi) >>> 1;
            if (fits(model, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return OptionalInt.of(lo);
    }

    /**
     * Why enrolling {@code photos} more photo(s) for {@code name} would not fit, or empty when it
     * does: how many descriptors fit, how many the household has, and what to do about it.
     */
    public Optional<String> refusal(Gallery gallery, String name, int photos) {
        TemplateRule rule = gallery.templateRule();
        int had = gallery.personNamed(name).map(Person::photoCount).orElse(0);
        int added = rule.descriptorsFor(had + photos) - rule.descriptorsFor(had);
        int now = gallery.descriptorCount();
        FaceModel model = gallery.model();
        if (added <= 0 || fits(model, now + added)) {
            return Optional.empty();
        }
        int max = maxDescriptors(model).orElse(Integer.MAX_VALUE);
        String room = max < 0 ? "the doorbell's frame loop alone does not fit it"
                : String.format(Locale.ROOT, "it holds at most %d gallery descriptor(s)", max);
        String fix = rule == TemplateRule.MEAN
                ? "Photos become one mean template per person, so more photos of someone already enrolled always fit; "
                + "to make room remove people or strangers you no longer need, run with --display none, or give the "
                + "doorbell a bigger --budget."
                : "Each photo is a descriptor under the 'nearest' rule: enrol fewer photos per person, remove people or "
                + "strangers, run with --display none, or give the doorbell a bigger --budget.";
        return Optional.of(String.format(Locale.ROOT, "%s cannot be enrolled: the doorbell's %,d-byte memory budget "
                        + "(model %s, display %s) would overflow: %s, the household has %d and this enrolment adds %d. %s",
                name, budget, model.id(), display.name().toLowerCase(Locale.ROOT), room, now, added, fix));
    }
}
