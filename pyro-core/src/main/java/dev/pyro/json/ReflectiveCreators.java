package dev.pyro.json;

import java.lang.reflect.Constructor;
import tools.jackson.core.JacksonException;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;

/**
 * Makes Jackson build records (and other values with a properties constructor) through core
 * reflection instead of a method handle. Jackson calls such a constructor with
 * {@code MethodHandle.invokeWithArguments}, which on first use per constructor spins a few
 * dozen lambda-form classes for the argument conversions of a wide one (a workspace record
 * has 17 components): tens of milliseconds that a one-shot CLI process pays on every call and
 * that no class-data archive holds (docs/performance.md, "CLI start-up"). With the launchers'
 * {@code -Djdk.reflect.useNativeAccessorOnly=true}, {@link Constructor#newInstance} calls the
 * constructor natively and spins nothing; without it the JDK's own method-handle accessor is
 * used, which costs what Jackson's did. Only how the constructor is called changes: which
 * creator, the arguments, and the error a failing constructor gives are Jackson's own.
 */
public final class ReflectiveCreators extends JacksonModule {
    @Override
    public String getModuleName() {
        return "pyro-reflective-creators";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        context.addValueInstantiators(new ValueInstantiators() {
            @Override
            public ValueInstantiator findValueInstantiator(DeserializationConfig config,
                    BeanDescription.Supplier description) {
                return null;
            }

            @Override
            public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
                    BeanDescription.Supplier description, ValueInstantiator found) {
                // Exactly Jackson's standard one: a subclass may construct its own way.
                return found != null && found.getClass() == StdValueInstantiator.class
                        ? new Reflective((StdValueInstantiator) found) : found;
            }
        });
    }

    /** The standard instantiator, calling a constructor creator through reflection. */
    private static final class Reflective extends StdValueInstantiator {
        private static final long serialVersionUID = 1L;

        Reflective(StdValueInstantiator standard) {
            super(standard);
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] args) throws JacksonException {
            if (!(_withArgsCreator instanceof AnnotatedConstructor creator)) {
                return super.createFromObjectWith(context, args);
            }
            Constructor<?> constructor = creator.getAnnotated();
            try {
                return constructor.newInstance(args);
            } catch (Exception e) {
                // Unwraps InvocationTargetException: a record's own validation message reaches
                // the caller as it does through Jackson's method handle.
                return context.handleInstantiationProblem(_valueClass, args, rewrapCtorProblem(context, e));
            }
        }
    }
}
