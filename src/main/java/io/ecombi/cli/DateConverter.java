package io.ecombi.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** A date option's value as YYYY-MM-DD; a wrong one says what is wrong with it (picocli names the option). */
final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : "expected YYYY-MM-DD";
            throw new TypeConversionException("'" + value + "' is not a date YYYY-MM-DD (" + why + ")");
        }
    }
}
