package dev.weft.agent.weave;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;

/** Builds {@link Advice} from advice classes, reading their class files from the agent jar. */
final class AdviceLoader {
  private final ClassFileLocator locator;

  AdviceLoader(ClassFileLocator locator) {
    this.locator = locator;
  }

  Advice of(Class<?> advice) {
    return Advice.to(TypeDescription.ForLoadedType.of(advice), locator);
  }

  Advice of(Advice.WithCustomMapping mapping, Class<?> enter, Class<?> exit) {
    return mapping.to(TypeDescription.ForLoadedType.of(enter), TypeDescription.ForLoadedType.of(exit), locator);
  }
}
