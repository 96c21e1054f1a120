#include "core/scenario/presets.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace cachescope {

QString ScenarioPreset::resourcePath() const
{
    return u":/cachescope/scenarios/"_s + name + u".json"_s;
}

namespace {
// A title or description in the source language; the GUI shows it translated (context "Preset").
QString text(const char *source)
{
    return QString::fromUtf8(source);
}
} // namespace

const QList<ScenarioPreset> &scenarioPresets()
{
    static const QList<ScenarioPreset> presets {
        {u"default"_s, text(QT_TRANSLATE_NOOP("Preset", "Default")),
            text(QT_TRANSLATE_NOOP(
                "Preset", "the built-in default: 100,000 keys, Zipf 0.99, 16 clients, L1 20,000 entries / 1 min LRU"))},
        {u"seed-plan"_s, text(QT_TRANSLATE_NOOP("Preset", "Seed plan (L1 1,000 / 60 s, L2 10,000 / 600 s)")),
            text(QT_TRANSLATE_NOOP("Preset",
                "the plan's MultiLayerCache as written: L1 1,000 entries for 60 s, L2 10,000 entries for 600 s"))},
        {u"tuned"_s, text(QT_TRANSLATE_NOOP("Preset", "Tuned (meets every default criterion)")),
            text(QT_TRANSLATE_NOOP("Preset",
                "a configuration that meets every default criterion on the demo database: L1 holds the working "
                "set, a projection, and a warm-up from the table"))},
    };
    return presets;
}

const ScenarioPreset *findPreset(const QString &name)
{
    for (const ScenarioPreset &p : scenarioPresets()) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QString presetNames()
{
    QStringList names;
    for (const ScenarioPreset &p : scenarioPresets())
        names << p.name;
    return names.join(u", "_s);
}

Scenario presetScenario(const QString &name)
{
    const ScenarioPreset *preset = findPreset(name);
    if (!preset)
        throw ScenarioError(u"no preset '"_s + name + u"' (presets: "_s + presetNames() + u")"_s);
    return Scenario::fromFile(preset->resourcePath());
}

} // namespace cachescope
