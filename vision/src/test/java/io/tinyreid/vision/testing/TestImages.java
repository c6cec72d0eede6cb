package io.tinyreid.vision.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.tinyreid.testing.SharedData;
import io.tinyreid.vision.image.GrayImage;
import io.tinyreid.vision.image.ImageDecoder;
import io.tinyreid.vision.image.Resize;

/** The evaluation images of DESIGN.md section 5, as gray planes with names. */
public final class TestImages {
    private TestImages() {}

    /** A named gray image. */
    public record Named(String name, GrayImage image) {}

    /** A hand-labelled face box. */
    public record Box(int x, int y, int w, int h) {}

    /** Every JPEG of data/detection/dlib-faces, sorted by name. */
    public static List<Named> dlibFaces() throws IOException {
        return decodeAll(list(SharedData.require("data/detection/dlib-faces"), ".jpg"));
    }

    /** Every ORL image (400 PGMs). */
    public static List<Named> orl() throws IOException {
        return decodeAll(list(SharedData.require("data/orl"), ".pgm"));
    }

    /** {@code count} LFW dev images spread evenly over the sorted list of all of them. */
    public static List<Named> lfw(int count) throws IOException {
        List<Path> all = list(SharedData.require("data/lfw-dev/images"), ".jpg");
        List<Path> pick = new ArrayList<>();
        for (int i = 0; i < count && i < all.size(); i++) {
            pick.add(all.get((int) ((long) i * all.size() / Math.min(count, all.size()))));
        }
        return decodeAll(pick);
    }

    /** {@code count} frames of the street video, evenly spaced, as gray 320x240 (area-resized). */
    public static List<Named> streetFrames(int count) throws IOException {
        Path video = SharedData.require("data/video/street-faces-1080p.mp4");
        List<GrayImage> frames = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride;
                java.nio.ByteBuffer buf = (java.nio.ByteBuffer) f.image[0];
                GrayImage full = new GrayImage(w, h);
                for (int y = 0; y < h; y++) {
                    buf.get(y * stride, full.pixels(), y * w, w);
                }
                frames.add(Resize.area(full, new GrayImage(320, 240)));
            }
            g.stop();
        }
        if (frames.size() < count) throw new IOException("video has only " + frames.size() + " frames");
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = (int) ((long) i * frames.size() / count);
            out.add(new Named("street#" + k, frames.get(k)));
        }
        return out;
    }

    /** The hand-labelled boxes of training.xml and testing.xml, per image file name. */
    public static java.util.Map<String, List<Box>> dlibLabels() throws Exception {
        java.util.Map<String, List<Box>> out = new java.util.TreeMap<>();
        for (String file : List.of("training.xml", "testing.xml")) {
            Path p = SharedData.require("data/detection/dlib-faces/" + file);
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(p.toFile());
            NodeList images = doc.getElementsByTagName("image");
            for (int i = 0; i < images.getLength(); i++) {
                Element img = (Element) images.item(i);
                List<Box> boxes = out.computeIfAbsent(img.getAttribute("file"), k -> new ArrayList<>());
                NodeList bs = img.getElementsByTagName("box");
                for (int j = 0; j < bs.getLength(); j++) {
                    Element b = (Element) bs.item(j);
                    if ("1".equals(b.getAttribute("ignore"))) continue;
                    boxes.add(new Box(Integer.parseInt(b.getAttribute("left")), Integer.parseInt(b.getAttribute("top")),
                            Integer.parseInt(b.getAttribute("width")), Integer.parseInt(b.getAttribute("height"))));
                }
            }
        }
        return out;
    }

    private static List<Path> list(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
        }
    }

    private static List<Named> decodeAll(List<Path> files) throws IOException {
        ImageDecoder d = new ImageDecoder();
        List<Named> out = new ArrayList<>();
        for (Path f : files) out.add(new Named(f.getFileName().toString(), d.decodeGray(f)));
        return out;
    }

    /** Intersection over union of two boxes given as x, y, w, h. */
    public static double iou(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh) {
        int x0 = Math.max(ax, bx), y0 = Math.max(ay, by);
        int x1 = Math.min(ax + aw, bx + bw), y1 = Math.min(ay + ah, by + bh);
        long inter = (long) Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
        long union = (long) aw * ah + (long) bw * bh - inter;
        return union == 0 ? 0 : (double) inter / union;
    }
}
