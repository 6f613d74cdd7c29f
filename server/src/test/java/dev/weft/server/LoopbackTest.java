package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Answers are compressed for other machines only. */
class LoopbackTest {
  @Test
  void clientsOnThisMachineAreTold() {
    assertTrue(WeftServer.isLoopback("127.0.0.1"));
    assertTrue(WeftServer.isLoopback("127.3.2.1"));
    assertTrue(WeftServer.isLoopback("0:0:0:0:0:0:0:1"));
    assertFalse(WeftServer.isLoopback("10.1.2.3"));
    assertFalse(WeftServer.isLoopback("192.168.0.7"));
    assertFalse(WeftServer.isLoopback("2001:db8::1"));
  }
}
