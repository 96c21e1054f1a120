#pragma once

#include "core/scenario/scenario.h"
#include "core/scenario/settingvalue.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace cachescope {

/// What kind of value a setting takes.
enum class SettingKind : std::uint8_t {
    Integer, ///< a whole number within [min, max]
    Number, ///< a real number within [min, max]
    Duration, ///< "250us", "5ms", "30s", "2m", "1h"; at least min (nanoseconds)
    Text, ///< free text (a path, a column list); values says what it names
    Choice, ///< one of choices
    Flag, ///< choices[0] (false) or choices[1] (true)
};

/// One setting of a scenario: its dotted key, its typed field of Scenario, and everything the
/// command line, the JSON reader and writer, the GUI's controls and the docs need to know of it.
/// settingTable() holds each setting once; nothing else lists them.
struct SettingDef {
    QString key; ///< dotted key, the path of its field in Scenario and in the JSON form
    SettingKind kind = SettingKind::Text; ///< the kind of value
    QString help; ///< one line
    QString unit; ///< what the value counts ("entries", "clients", "requests/s"); empty = none
    double min = 0.0; ///< Integer, Number: smallest value; Duration: shortest, in nanoseconds
    double max = 0.0; ///< Integer, Number: largest value
    QStringList choices; ///< Choice: the values; Flag: the names of false and true
    QString values; ///< Text: what the text names, for help and docs ("a SQLite file")
    bool live = false; ///< may change while a run goes on (a ConfigChange)
    std::function<SettingValue(const Scenario &)> get; ///< the field's value
    std::function<void(Scenario &, const SettingValue &)> put; ///< sets the field (value already valid)

    /// A value from text (--set) or from any JSON value of a scenario file; throws ScenarioError
    /// "key: 'value' is not valid: why".
    SettingValue parse(const QJsonValue &raw) const;
    /// \a value when it is of this setting's kind and within its range or choices (a typed
    /// change made by hand is checked so); throws ScenarioError naming the key otherwise.
    SettingValue checked(const SettingValue &value) const { return parse(json(value)); }
    /// The text form parse() reads back ("5ms", "lru", "0.9").
    QString text(const SettingValue &value) const;
    /// The JSON form a scenario file holds.
    QJsonValue json(const SettingValue &value) const;
    /// "integer", "number", "duration", "text", "choice" or "flag".
    QString kindName() const;
    /// The values it accepts, in words: "0 … 4096", "≥ 0", "`lru`, `fifo`", "a SQLite file".
    QString rangeText() const;
    /// The default scenario's value, as text.
    QString defaultText() const;
};

/// Every setting, in the order of the docs and the JSON form.
const QList<SettingDef> &settingTable();
/// The setting with \a key, or null.
const SettingDef *findSetting(const QString &key);
/// The text form of the setting \a key of \a scenario ("lru", "5ms"); empty for an unknown key.
QString settingText(const Scenario &scenario, const QString &key);
/// Every key, in table order.
QStringList settingKeys();
/// "key=value" for every setting of \a scenario that differs from the default scenario, in table
/// order, but the database file (named on its own): what a run tuned, as a history names it.
QStringList settingsChangedFromDefault(const Scenario &scenario);
/// The settings table as the Markdown rows of docs/scenario.md: key, type, default, accepted
/// values, live, and the one-line help.
QString settingsMarkdown();

} // namespace cachescope
