package dev.weft.agent.capture;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How values of one class are captured, worked out once per class. Beans are read through
 * Jackson's introspection (getters, then fields of any visibility), so app objects without
 * getters still show their state.
 */
final class Shape {
  enum Kind { TEXT, OPAQUE, CLASS, DATE, OPTIONAL, THROWABLE, ARRAY, COLLECTION, MAP, BEAN }

  /** One readable property of a bean. */
  static final class Property {
    final String name;
    private final Member member;

    Property(String name, Member member) {
      this.name = name;
      this.member = member;
    }

    Object get(Object bean) throws Exception {
      return member instanceof Method ? ((Method) member).invoke(bean) : ((Field) member).get(bean);
    }
  }

  /** Types whose instances are live resources or lazy sequences: reading them could block, consume or leak. */
  private static final Class<?>[] OPAQUE_TYPES = {
    Thread.class, ThreadGroup.class, ClassLoader.class, java.io.InputStream.class,
    java.io.OutputStream.class, java.io.Reader.class, java.io.Writer.class,
    java.nio.channels.Channel.class, java.util.stream.BaseStream.class, java.util.Iterator.class,
    java.util.Spliterator.class, java.util.Enumeration.class, java.util.concurrent.Future.class,
    java.util.concurrent.CompletionStage.class, java.util.concurrent.Executor.class,
    java.util.concurrent.locks.Lock.class, java.net.Socket.class, java.net.ServerSocket.class,
    Process.class, java.lang.ref.Reference.class, java.lang.reflect.AccessibleObject.class,
    java.lang.invoke.MethodHandle.class, java.nio.Buffer.class,
  };
  /** Interfaces of modules the bootstrap loader cannot see, matched by name. */
  private static final String[] OPAQUE_NAMES = {
    "java.sql.Connection", "java.sql.Statement", "java.sql.ResultSet", "javax.sql.DataSource",
  };

  private static final ClassValue<Shape> SHAPES = new ClassValue<Shape>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      try {
        return classify(type);
      } catch (Throwable t) {
        return new Shape(Kind.TEXT, List.of());
      }
    }
  };

  final Kind kind;
  final List<Property> properties;

  private Shape(Kind kind, List<Property> properties) {
    this.kind = kind;
    this.properties = properties;
  }

  static Shape of(Class<?> type) {
    return SHAPES.get(type);
  }

  private static Shape classify(Class<?> type) {
    if (type.isArray()) return new Shape(Kind.ARRAY, List.of());
    if (Collection.class.isAssignableFrom(type)) return new Shape(Kind.COLLECTION, List.of());
    if (Map.class.isAssignableFrom(type)) return new Shape(Kind.MAP, List.of());
    if (type == Class.class) return new Shape(Kind.CLASS, List.of());
    if (Optional.class == type) return new Shape(Kind.OPTIONAL, List.of());
    if (Throwable.class.isAssignableFrom(type)) return new Shape(Kind.THROWABLE, List.of());
    if (Date.class.isAssignableFrom(type)) return new Shape(Kind.DATE, List.of());
    if (isOpaque(type)) return new Shape(Kind.OPAQUE, List.of());
    List<Property> props = isPlatform(type.getName()) ? List.of() : Beans.properties(type);
    if (props.isEmpty()) {
      return new Shape(overridesToString(type) ? Kind.TEXT : Kind.OPAQUE, List.of());
    }
    return new Shape(Kind.BEAN, props);
  }

  private static boolean isOpaque(Class<?> type) {
    if (type.isSynthetic() || type.getName().contains("$$Lambda")) {
      return true;
    }
    for (Class<?> t : OPAQUE_TYPES) {
      if (t.isAssignableFrom(type)) return true;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        for (String name : OPAQUE_NAMES) {
          if (i.getName().equals(name)) return true;
        }
      }
    }
    return false;
  }

  /** JDK classes are shown by their {@code toString()}: we do not reach into their internals. */
  private static boolean isPlatform(String name) {
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun.");
  }

  private static boolean overridesToString(Class<?> type) {
    try {
      return type.getMethod("toString").getDeclaringClass() != Object.class;
    } catch (Throwable t) {
      return false;
    }
  }

  static String displayName(Class<?> type) {
    String name = type.getName();
    int lambda = name.indexOf("$$Lambda");
    return lambda >= 0 ? "lambda" : name;
  }

  /** Jackson's bean introspection, isolated so its classes load only when a bean is first captured. */
  private static final class Beans {
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.PUBLIC_ONLY)
        .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.PUBLIC_ONLY)
        .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

    static List<Property> properties(Class<?> type) {
      BeanDescription description =
          MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
      List<Property> out = new ArrayList<>();
      for (BeanPropertyDefinition p : description.findProperties()) {
        AnnotatedMember accessor = p.getAccessor();
        if (accessor == null) continue;
        Member member = (Member) accessor.getMember();
        if (Modifier.isStatic(member.getModifiers())) continue;
        try {
          ((java.lang.reflect.AccessibleObject) member).setAccessible(true);
        } catch (RuntimeException inaccessible) {
          if (!Modifier.isPublic(member.getModifiers())
              || !Modifier.isPublic(member.getDeclaringClass().getModifiers())) {
            continue;
          }
        }
        out.add(new Property(p.getName(), member));
      }
      return out;
    }
  }
}
