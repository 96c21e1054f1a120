#include "core/scenario/presets.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace cachescope {

QString ScenarioPreset::resourcePath() const
{
    return u":/cachescope/scenarios/"_s + name + u".json"_s;
}

const QList<ScenarioPreset> &scenarioPresets()
{
    static const QList<ScenarioPreset> presets {
        {u"default"_s, u"Default"_s,
            u"the built-in default: 100,000 keys, Zipf 0.99, 16 clients, L1 20,000 entries / 1 min LRU"_s},
        {u"seed-plan"_s, u"Seed plan (L1 1,000 / 60 s, L2 10,000 / 600 s)"_s,
            u"the plan's MultiLayerCache as written: L1 1,000 entries for 60 s, L2 10,000 entries for 600 s"_s},
        {u"tuned"_s, u"Tuned (meets every default criterion)"_s,
            u"a configuration that meets every default criterion on the demo database: L1 holds the working "
            "set, a projection, and a warm-up from the table"_s},
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
