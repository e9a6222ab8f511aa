// Java side of scripts/java-codec-interop.ts: compresses and decompresses files with the Java
// libraries Kafka's clients use (snappy-java, lz4-java, zstd-jni), the way Kafka uses them:
//   snappy  SnappyOutputStream / SnappyInputStream (xerial framing, 32 KiB blocks)
//   lz4     LZ4FrameOutputStream with 64 KiB independent blocks / LZ4FrameInputStream
//   zstd    ZstdOutputStream (streaming frames, no content size) / ZstdInputStream
// Run in source-file mode: java -cp <jars> scripts/java-codec-interop.java <jobs file>
// Each line of the jobs file: "compress|decompress <codec> <input> <output>".
import java.io.*;
import java.nio.file.*;
import java.util.*;

public class CodecInterop {
    public static void main(String[] args) throws Exception {
        List<String> jobs = Files.readAllLines(Paths.get(args[0]));
        int failures = 0;
        for (String job : jobs) {
            if (job.isBlank()) continue;
            String[] f = job.trim().split("\\s+");
            try {
                byte[] in = Files.readAllBytes(Paths.get(f[2]));
                byte[] out = f[0].equals("compress") ? compress(f[1], in) : decompress(f[1], in);
                Files.write(Paths.get(f[3]), out);
                System.out.println("ok " + job);
            } catch (Throwable t) {
                failures++;
                System.out.println("FAIL " + job + " : " + t);
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    static byte[] compress(String codec, byte[] in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out;
        switch (codec) {
            case "snappy": out = new org.xerial.snappy.SnappyOutputStream(bytes); break;
            case "lz4": out = new net.jpountz.lz4.LZ4FrameOutputStream(bytes, net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB); break;
            case "zstd": out = new com.github.luben.zstd.ZstdOutputStream(bytes, 3); break;
            default: throw new IllegalArgumentException(codec);
        }
        out.write(in);
        out.close();
        return bytes.toByteArray();
    }

    static byte[] decompress(String codec, byte[] in) throws IOException {
        InputStream src = new ByteArrayInputStream(in);
        InputStream is;
        switch (codec) {
            case "snappy": is = new org.xerial.snappy.SnappyInputStream(src); break;
            case "lz4": is = new net.jpountz.lz4.LZ4FrameInputStream(src); break;
            case "zstd": is = new com.github.luben.zstd.ZstdInputStream(src); break;
            default: throw new IllegalArgumentException(codec);
        }
        try (is) {
            return is.readAllBytes();
        }
    }
}
