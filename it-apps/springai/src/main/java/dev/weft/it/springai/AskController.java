package dev.weft.it.springai;

import dev.weft.Traced;
import java.time.Duration;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Asks the model a question, in one reply or streamed, through a ChatClient. */
@RestController
public class AskController {
  private final ChatClient chat;

  public AskController(ChatClient.Builder builder) {
    this.chat = builder.defaultSystem("You diagnose failing tests.").build();
  }

  @Traced
  @GetMapping("/ask")
  public String ask(@RequestParam String q) {
    return chat.prompt().user(q).call().content();
  }

  @Traced
  @GetMapping("/stream")
  public String stream(@RequestParam String q) {
    return String.join("", chat.prompt().user(q).stream().content().collectList().block(Duration.ofSeconds(20)));
  }
}
