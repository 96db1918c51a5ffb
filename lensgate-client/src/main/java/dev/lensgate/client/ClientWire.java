package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every client derived from one builder shares (transport, codecs, stream sockets, settings),
 * and how one API call goes over it: sent, an error status turned into the matching {@link
 * LensgateApiException}, the answer parsed, and a malformed answer reported as a transport failure.
 */
final class ClientWire {
  final URI baseUrl;
  final Duration timeout;
  final ResponseDecoder decoder;
  final StreamConnections streams;
  private final HttpTransport transport;
  private final JsonTree json;
  private final ErrorDecoder errors;

  ClientWire(URI baseUrl, Duration timeout, HttpTransport transport, JsonTree json, ErrorDecoder errors,
      ResponseDecoder decoder, StreamConnections streams) {
    this.baseUrl = baseUrl;
    this.timeout = timeout;
    this.transport = transport;
    this.json = json;
    this.errors = errors;
    this.decoder = decoder;
    this.streams = streams;
  }

  /** A successful answer, parsed. */
  record Answer(String call, JsonNode body, String requestId) {}

  /** {@code POST /v1/<operation>/<lens>} with {@code body} as JSON. */
  Answer post(String operation, String lens, Map<String, Object> body, Credentials credentials) {
    return call("POST", "/v1/" + operation + "/" + LensName.pathSegment(lens), json.write(body), credentials);
  }

  Answer call(String method, String path, byte[] body, Credentials credentials) {
    String call = method + " " + path;
    HttpTransport.Reply reply = transport.send(method, path, body, credentials);
    if (!reply.ok()) {
      throw errors.decode(reply, credentials);
    }
    try {
      return new Answer(call, json.read(reply.body()), reply.requestId());
    } catch (IOException e) {
      throw LensgateTransportException.failed(call, "answer is not JSON", e);
    }
  }

  <R> R decode(String call, Supplier<R> decoding) {
    try {
      return decoding.get();
    } catch (ResponseDecoder.Malformed e) {
      throw LensgateTransportException.failed(call, "unexpected answer: " + e.getMessage(), e);
    }
  }
}
