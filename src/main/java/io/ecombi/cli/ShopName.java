package io.ecombi.cli;

import io.ecombi.shop.Shop;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A --shop value: a valid shop name, or a usage error (exit 2) that says what a name may hold. */
final class ShopName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        try {
            return Shop.validName(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a shop name: 1 to 40 lower-case letters, digits, '-' or '_', "
                    + "starting with a letter or digit (e.g. default, acme-uk)");
        }
    }
}
