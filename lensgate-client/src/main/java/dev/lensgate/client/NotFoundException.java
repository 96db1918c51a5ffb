package dev.lensgate.client;

/** HTTP 404. No such lens in this key's environment ({@code lens_not_found}). */
public final class NotFoundException extends LensgateApiException {

  NotFoundException(ApiError error) {
    super(error);
  }
}
