package com.commerceidentity.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.junit.jupiter.api.Test;

/** Every setting the configuration classes inject has its default in application.properties, none in Java. */
class SettingsHaveOneHomeTest {

    @Test
    void everyInjectedSettingIsInTheShippedFileAndNoneCarriesAJavaDefault() throws Exception {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            shipped.load(in);
        }
        List<PropertyInject> injected = new ArrayList<>();
        for (Class<? extends CamelConfiguration> type : StartOrder.CONFIGURATIONS) {
            for (Field f : type.getDeclaredFields()) {
                if (f.getAnnotation(PropertyInject.class) != null) {
                    injected.add(f.getAnnotation(PropertyInject.class));
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                for (Annotation[] parameter : m.getParameterAnnotations()) {
                    for (Annotation a : parameter) {
                        if (a instanceof PropertyInject p) {
                            injected.add(p);
                        }
                    }
                }
            }
        }
        assertThat(injected).as("the configuration classes read settings").hasSizeGreaterThan(30);
        for (PropertyInject p : injected) {
            assertThat(shipped).as(p.value() + " is in application.properties").containsKey(p.value());
            assertThat(p.defaultValue()).as(p.value() + " has no default in Java").isEmpty();
        }
    }
}
