package dev.tailboard.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short secrets (registered mask values) for storage: AES-256-GCM under a key derived from
 * the token signing secret, so the database, which may be a shared PostgreSQL, never holds them in
 * the clear, and every node of a cluster (which shares the signing secret) can open them.
 */
@ApplicationScoped
public class Sealer {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  @Inject
  public Sealer(TokenService tokens) {
    this(new SecretKeySpec(tokens.derivedKey("tailboard mask values v1"), "AES"));
  }

  Sealer(SecretKey key) {
    this.key = key;
  }

  /** For CDI's client proxy only. */
  protected Sealer() {
    this.key = null;
  }

  /** Base64 of a fresh nonce and the ciphertext with its tag. */
  public String seal(String plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    }
  }

  /** The value {@link #seal} was given; fails if it was sealed under another key or altered. */
  public String open(String sealed) {
    byte[] all = Base64.getDecoder().decode(sealed);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "A stored mask value cannot be opened: was the signing secret changed?", e);
    }
  }
}
