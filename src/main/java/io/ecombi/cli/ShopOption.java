package io.ecombi.cli;

import io.ecombi.shop.Shop;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --shop NAME}, on every command that works on a shop: {@code --set ecombi.shop=NAME}, and a
 * shop named on purpose is the one worked on: a run on it is never switched to the demo shop while it
 * is empty (ecombi.demo.load-if-empty=false, except for the shop demo itself, which a run still fills
 * on first use).
 */
public final class ShopOption {
    @Option(names = "--shop", order = 90, paramLabel = "NAME", converter = ShopName.class,
            description = "the shop to work on (default: the setting ecombi.shop, 'default'); its reports are in reports/NAME/")
    String name;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The command's own overrides with the shop's: none without --shop. */
    Map<String, String> over(Map<String, String> commandDefaults, SettingOverrides sets) {
        if (name == null) return commandDefaults;
        String set = sets.values().get(Shop.SETTING);
        if (set != null && !set.equals(name)) {
            throw new ParameterException(mixee.commandLine(), "--shop " + name + " and --set " + Shop.SETTING + "=" + set + " name two shops: give one");
        }
        Map<String, String> all = new LinkedHashMap<>(commandDefaults);
        all.put(Shop.SETTING, name);
        if (!Shop.DEMO.equals(name)) all.put("ecombi.demo.load-if-empty", "false");
        return all;
    }
}
