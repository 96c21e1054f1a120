#pragma once

#include "core/scenario/settingvalue.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace cachescope {

struct Scenario;

/// One typed assignment of a change: a setting of the table by its key, and its new value.
struct SettingAssignment {
    QString key; ///< dotted key of a setting (settingTable())
    SettingValue value; ///< already validated against the setting's range or choices
    bool operator==(const SettingAssignment &) const = default;
};

/// A change of settings as a value: what the GUI's controls, the scenario's scheduled changes and
/// the command line hand to the runner. The text form ("key=value") exists only at the edges:
/// parse() reads it, toString() writes it.
struct ConfigChange {
    QList<SettingAssignment> assignments; ///< in the order given; a key at most once

    bool isEmpty() const { return assignments.isEmpty(); }
    /// "key=value" assignments; throws ScenarioError naming an unknown key or a bad value. With
    /// \a liveOnly, a key that cannot change during a run is refused too.
    static ConfigChange parse(const QStringList &assignments, bool liveOnly);
    /// The settings whose values differ between \a from and \a to, in table order. With
    /// \a liveOnly, only those that can change during a run.
    static ConfigChange between(const Scenario &from, const Scenario &to, bool liveOnly);
    /// Sets each assigned field of \a scenario.
    void applyTo(Scenario &scenario) const;
    /// The keys assigned, in order.
    QStringList keys() const;
    /// "key=value" for each assignment (what parse() reads back to the same change).
    QStringList toStrings() const;
    /// "key=value; key=value", as segments and messages show a change.
    QString toString() const;
    bool operator==(const ConfigChange &) const = default;
};

} // namespace cachescope

Q_DECLARE_METATYPE(cachescope::ConfigChange)
