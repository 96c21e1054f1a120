#pragma once

#include "core/scenario/scenario.h"

#include <QList>
#include <QString>

namespace cachescope {

/// A scenario that ships with CacheScope (resources/scenarios/NAME.json, built into the
/// program): `cachescope run NAME` and the GUI's Scenario menu load it.
struct ScenarioPreset {
    QString name; ///< what `cachescope run` takes ("tuned")
    QString title; ///< the menu's entry
    QString description; ///< what it shows, in one line
    /// The scenario file inside the program (a Qt resource path).
    QString resourcePath() const;
};

/// Every preset, in menu order.
const QList<ScenarioPreset> &scenarioPresets();
/// The preset called \a name, or null.
const ScenarioPreset *findPreset(const QString &name);
/// The preset's scenario; throws ScenarioError for an unknown name.
Scenario presetScenario(const QString &name);
/// "default, seed-plan, tuned".
QString presetNames();

} // namespace cachescope
