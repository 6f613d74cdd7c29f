package dev.weft.agent.llm;

import dev.weft.agent.bootstrap.LlmRecord;

/** Turns one API's exchange (see {@link LlmRecord}) into a {@link Decoded} call, on the export thread. */
public interface Decoder {
  Decoded decode(LlmRecord record) throws Exception;
}
