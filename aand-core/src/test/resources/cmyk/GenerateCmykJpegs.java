import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.File;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Writes the two JDK-made test JPEGs: cmyk_plain.jpg (4 channels, no Adobe marker) and ycck.jpg
 * (the same stored samples declared YCCK by an Adobe marker with transform 2).
 * Run: java GenerateCmykJpegs.java
 */
public class GenerateCmykJpegs {
    public static void main(String[] args) throws Exception {
        int w = 64, h = 48;
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Stored (Adobe-inverted) ink values of the same pattern as make_references.py.
                r.setPixel(x, y, new int[] {255 - x * 4 % 256, 255 - y * 5 % 256, 255 - x * y % 256,
                        255 - (x + y) * 2 % 256});
            }
        }
        write(r, null, new File("cmyk_plain.jpg"));
        IIOMetadata md;
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new File("cmyk_plain.jpg"))) {
            reader.setInput(in);
            md = reader.getImageMetadata(0);
        }
        String f = "javax_imageio_jpeg_image_1.0";
        Node tree = md.getAsTree(f);
        IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
        adobe.setAttribute("version", "100");
        adobe.setAttribute("flags0", "0");
        adobe.setAttribute("flags1", "0");
        adobe.setAttribute("transform", "2");
        Node markers = tree.getLastChild();
        markers.insertBefore(adobe, markers.getFirstChild());
        md.setFromTree(f, tree);
        write(r, md, new File("ycck.jpg"));
    }

    private static void write(Raster r, IIOMetadata md, File file) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.95f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, md), p);
        }
        writer.dispose();
    }
}
