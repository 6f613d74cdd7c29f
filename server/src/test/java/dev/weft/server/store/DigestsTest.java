package dev.weft.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Digests match what Weave (Python) computes for the same content. */
class DigestsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void opObjectDigestMatchesWeavesOwn() throws Exception {
    // From a recorded Weave cassette (docs/weave-protocol.md, "Digests").
    String val = "{\"_type\":\"CustomWeaveType\",\"weave_type\":{\"type\":\"Op\"},"
        + "\"files\":{\"obj.py\":\"6Moqwj0Ocp0Jx7FfEN8VcmmDDcu4l2K53xleNntSB34\"},\"load_op\":\"NO_LOAD_OP\"}";
    assertEquals("uPPlRCCga9tsuTZwve2Z2gswUYhhX15gb2XS8il0z4s", Digests.objectDigest(JSON.readTree(val)));
  }

  @Test
  void serialisesAsPythonJsonDumpsWithSortedKeys() throws Exception {
    String val = "{\"c\":true,\"b\":null,\"a\":[1,2.5,1e16,1e-5,0.0001,123456789.123,-0.0,\"é\\n\"]}";
    // python3: json.dumps(v, sort_keys=True)
    assertEquals("{\"a\": [1, 2.5, 1e+16, 1e-05, 0.0001, 123456789.123, -0.0, \"\\u00e9\\n\"], \"b\": null, \"c\": true}",
        Digests.pythonJson(JSON.readTree(val)));
    assertEquals("mo0mPRzmtZ3uLUopnFXYin27OQP5h2NbZQKQU4mYH5s", Digests.objectDigest(JSON.readTree(val)));
  }
}
