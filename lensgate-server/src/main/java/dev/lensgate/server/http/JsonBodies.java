package dev.lensgate.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies as JSON with hard bounds checked before allocation: a declared
 * Content-Length over the limit is refused without reading, a chunked body is cut off at the limit,
 * and the parser itself caps nesting and string sizes. (What is left of a refused body is drained by
 * {@link UnreadBody} once the answer is ready, so the 413 reaches a client that is still sending.)
 */
public final class JsonBodies {
  private final ObjectMapper mapper;
  private final long maxBodyBytes;

  public JsonBodies(long maxBodyBytes) {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
    }
    this.maxBodyBytes = maxBodyBytes;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build())
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  public long maxBodyBytes() { return maxBodyBytes; }

  /** The body as a JSON object; an empty body is an empty object. */
  public JsonNode readObject(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    byte[] bytes = readBounded(ctx);
    if (bytes.length == 0) {
      return mapper.createObjectNode();
    }
    JsonNode node;
    try (JsonParser parser = mapper.createParser(bytes)) {
      node = mapper.readTree(parser);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "request body exceeds structural limits");
    } catch (IOException e) {
      throw new LensgateException(ErrorCode.INVALID_JSON, "request body is not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      return mapper.createObjectNode();
    }
    if (!node.isObject()) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "request body must be a JSON object");
    }
    return node;
  }

  private byte[] readBounded(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "request body could not be read");
    }
  }

  private LensgateException tooLarge() {
    return new LensgateException(ErrorCode.PAYLOAD_TOO_LARGE,
        "request body is larger than " + maxBodyBytes + " bytes");
  }
}
