#pragma once

#include <QMetaType>
#include <QString>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <variant>

namespace cachescope {

/// A scenario or setting that cannot be used, with a message naming the field.
class ScenarioError : public std::runtime_error {
public:
    explicit ScenarioError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromUtf8(what()); }
};

/// The value of a choice setting: the position of the choice in the setting's list (an enum's
/// value, or a policy's position among EvictionPolicy::names()).
struct Choice {
    int index = 0; ///< into SettingDef::choices
    bool operator==(const Choice &) const = default;
};

/// One setting's value, typed: integers, numbers, durations, text, choices and flags.
using SettingValue = std::variant<std::int64_t, double, std::chrono::nanoseconds, QString, Choice, bool>;

/// "250us", "5ms", "30s", "2m", "1h" (a bare number is seconds); nullopt when malformed.
std::optional<std::chrono::nanoseconds> parseDuration(const QString &text);
/// The shortest exact form of a duration in those units.
QString formatDuration(std::chrono::nanoseconds duration);

} // namespace cachescope

Q_DECLARE_METATYPE(cachescope::SettingValue)
