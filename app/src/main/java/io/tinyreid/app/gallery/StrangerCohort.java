package io.tinyreid.app.gallery;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Strangers' faces (Q14 unit descriptors of one model, one photo each of people in no household:
 * LFW dev's cohort fold) that each enrolled template is normalised against. Some templates sit
 * where faces crowd (a mean of photos lies nearer the middle of face space; some faces are just
 * common-looking) and draw strangers closer than others do; one accept distance for all of them
 * names strangers at the crowded ones and misses family at the lonely ones. The gallery therefore
 * compares {@code d - shift(template)}: the shift is how much nearer than usual the
 * {@link #NEAREST} nearest cohort faces lie to the template (adaptive cohort score normalisation;
 * measured by {@code tinyreid eval openset}, BENCHMARKS.md).
 */
public final class StrangerCohort {
    /** Cohort faces averaged per template. */
    public static final int NEAREST = 10;
    /**
     * Largest shift either way. Real templates measured -0.16..+0.12 (99% within -0.12..+0.07 on LFW
     * dev, FaceReID); the bound keeps a template far from every face (a bad photo, a synthetic
     * descriptor) from being granted a looser line than a lonely real face gets. Clamping at 0.1
     * costs nothing measurable (oracle DIR at 1% named 0.860 vs 0.859 unclamped; 0.05: 0.855).
     */
    public static final double MAX_SHIFT = 0.1;
    /**
     * Cohort faces nearer a template than this are the same photo (the cohort is LFW, and someone may
     * enrol an LFW photo): left out, or the template would be judged crowded by itself.
     */
    public static final double SAME_PHOTO = 0.05;
    private static final int MAGIC = 0x54524348; // "TRCH"

    private final String modelId;
    private final int dimension;
    private final short[] units;
    private final int size;
    private final double usual;

    /** A cohort of {@code modelId} from Q14 unit descriptors (at least {@link #NEAREST} + 1, one dimension). */
    public StrangerCohort(String modelId, List<short[]> faces) {
        if (faces.size() <= NEAREST) {
            throw new IllegalArgumentException("a stranger cohort needs more than " + NEAREST + " faces, got " + faces.size());
        }
        this.modelId = modelId;
        this.dimension = faces.getFirst().length;
        this.size = faces.size();
        this.units = new short[size * dimension];
        for (int i = 0; i < size; i++) {
            if (faces.get(i).length != dimension) {
                throw new IllegalArgumentException("cohort faces differ in dimension: " + faces.get(i).length + " vs " + dimension);
            }
            System.arraycopy(faces.get(i), 0, units, i * dimension, dimension);
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += crowd(units, i * dimension, i);
        }
        this.usual = sum / size; // each cohort face against the others: what "usual" crowding is
    }

    /** The model whose descriptors these are. */
    public String modelId() {
        return modelId;
    }

    /** Faces in the cohort. */
    public int size() {
        return size;
    }

    /** Descriptor dimension. */
    public int dimension() {
        return dimension;
    }

    /** The mean distance of a face to its {@link #NEAREST} nearest cohort faces when cohort faces are the templates. */
    public double usual() {
        return usual;
    }

    /**
     * How much nearer than usual strangers lie to {@code template} (a Q14 unit vector): the mean
     * distance to its {@link #NEAREST} nearest cohort faces less {@link #usual()}, within
     * +-{@link #MAX_SHIFT}; negative where faces crowd. The gallery compares {@link #shifted}.
     */
    public double shift(short[] template) {
        if (template.length != dimension) {
            throw new IllegalArgumentException("template of dimension " + template.length + " against a cohort of " + dimension);
        }
        return Math.clamp(crowd(template, 0, -1) - usual, -MAX_SHIFT, MAX_SHIFT);
    }

    /** The distance compared: {@code distance - shift}, never below 0 (a face identical to the template stays at 0 or above). */
    public static double shifted(double distance, double shift) {
        return Math.max(0, distance - shift);
    }

    // Mean distance from v[off..] to its NEAREST nearest cohort faces, cohort face 'skip' left out.
    private double crowd(short[] v, int off, int skip) {
        double[] nearest = new double[NEAREST];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int i = 0; i < size; i++) {
            if (i == skip) {
                continue;
            }
            double d = UnitVectors.distance(v, off, units, i * dimension, dimension);
            if (d < SAME_PHOTO) {
                continue;
            }
            if (d < nearest[NEAREST - 1]) {
                int j = NEAREST - 1;
                while (j > 0 && nearest[j - 1] > d) {
                    nearest[j] = nearest[j - 1];
                    j--;
                }
                nearest[j] = d;
            }
        }
        double sum = 0;
        for (double d : nearest) {
            sum += d;
        }
        return sum / NEAREST;
    }

    /** Writes the cohort (gzip: magic, model id, size, dimension, Q14 components). */
    public void write(OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        DataOutputStream d = new DataOutputStream(gz);
        d.writeInt(MAGIC);
        d.writeUTF(modelId);
        d.writeInt(size);
        d.writeInt(dimension);
        for (short v : units) {
            d.writeShort(v);
        }
        d.flush();
        gz.finish();
    }

    /** Reads what {@link #write} wrote; {@code where} names the source in errors. */
    public static StrangerCohort read(InputStream in, String where) throws IOException {
        try (DataInputStream d = new DataInputStream(new GZIPInputStream(in))) {
            if (d.readInt() != MAGIC) {
                throw new IOException(where + ": not a stranger cohort file");
            }
            String model = d.readUTF();
            int n = d.readInt();
            int dim = d.readInt();
            if (n <= NEAREST || n > 100_000 || dim < 1 || dim > 4096) {
                throw new IOException(where + ": implausible cohort of " + n + " faces x " + dim);
            }
            List<short[]> faces = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                short[] f = new short[dim];
                for (int k = 0; k < dim; k++) {
                    f[k] = d.readShort();
                }
                faces.add(f);
            }
            return new StrangerCohort(model, faces);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new IOException(where + ": truncated or corrupt stranger cohort file", e);
        }
    }
}
