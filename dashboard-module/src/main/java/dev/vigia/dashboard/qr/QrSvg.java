package dev.vigia.dashboard.qr;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Draws a QR payload as a crisp SVG: one module is one unit of the view box, dark modules are one
 * path, and the browser scales it without blur. The payload itself never appears in the SVG text.
 */
public final class QrSvg {

  /** Light modules around the code, as the QR specification asks, so phones find it. */
  public static final int QUIET_ZONE = 4;

  private static final Map<EncodeHintType, Object> UTF8 =
      Map.of(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());

  private QrSvg() {}

  /** The SVG document for {@code payload}; throws {@link IllegalArgumentException} when it cannot be encoded. */
  public static String render(String payload) {
    return toSvg(modules(payload));
  }

  /** The module grid of {@code payload}, {@code [y][x]}, true for dark, without the quiet zone. */
  public static boolean[][] modules(String payload) {
    if (payload == null || payload.isEmpty()) {
      throw new IllegalArgumentException("empty QR payload");
    }
    QRCode code;
    try {
      // M: survives a smudged screen or a glare while staying small for WhatsApp's ~240-char refs
      // WhatsApp's refs are ASCII: no ECI header then, which some phone scanners stumble on
      code = isAscii(payload)
          ? Encoder.encode(payload, ErrorCorrectionLevel.M)
          : Encoder.encode(payload, ErrorCorrectionLevel.M, UTF8);
    } catch (WriterException e) {
      throw new IllegalArgumentException("payload cannot be drawn as a QR code", e);
    }
    ByteMatrix m = code.getMatrix();
    boolean[][] grid = new boolean[m.getHeight()][m.getWidth()];
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        grid[y][x] = m.get(x, y) == 1;
      }
    }
    return grid;
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  static String toSvg(boolean[][] grid) {
    int size = grid.length + 2 * QUIET_ZONE;
    StringBuilder path = new StringBuilder(grid.length * grid.length * 2);
    for (int y = 0; y < grid.length; y++) {
      int x = 0;
      while (x < grid[y].length) {
        if (!grid[y][x]) {
          x++;
          continue;
        }
        int start = x;
        while (x < grid[y].length && grid[y][x]) {
          x++;
        }
        // one rectangle per horizontal run of dark modules keeps the path short
        path.append('M').append(start + QUIET_ZONE).append(' ').append(y + QUIET_ZONE)
            .append('h').append(x - start).append("v1h-").append(x - start).append('z');
      }
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + ' ' + size
        + "\" width=\"" + size * 8 + "\" height=\"" + size * 8
        + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
        + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#ffffff\"/>"
        + "<path fill=\"#000000\" d=\"" + path + "\"/></svg>\n";
  }
}
