#include "core/scenario/configchange.h"

#include "core/scenario/settings.h"

using namespace Qt::StringLiterals;

namespace cachescope {

ConfigChange ConfigChange::parse(const QStringList &assignments, bool liveOnly)
{
    ConfigChange change;
    for (const QString &assignment : assignments) {
        const qsizetype eq = assignment.indexOf(u'=');
        if (eq <= 0)
            throw ScenarioError(u"expected KEY=VALUE, got '"_s + assignment + u"'"_s);
        const QString key = assignment.left(eq).trimmed();
        const SettingDef *setting = findSetting(key);
        if (!setting)
            throw ScenarioError(u"unknown setting '"_s + key + u"' (known: "_s + settingKeys().join(u", "_s) + u')');
        if (liveOnly && !setting->live) {
            throw ScenarioError(
                u"'"_s + key + u"' cannot change during a run (live: "_s + Scenario::liveKeys().join(u", "_s) + u')');
        }
        const SettingValue value = setting->parse(QJsonValue(assignment.mid(eq + 1)));
        auto same = std::find_if(change.assignments.begin(), change.assignments.end(),
            [&key](const SettingAssignment &a) { return a.key == key; });
        if (same != change.assignments.end())
            same->value = value; // the last one given wins, as --set does
        else
            change.assignments.append({key, value});
    }
    return change;
}

ConfigChange ConfigChange::between(const Scenario &from, const Scenario &to, bool liveOnly)
{
    ConfigChange change;
    for (const SettingDef &s : settingTable()) {
        if (liveOnly && !s.live)
            continue;
        SettingValue value = s.get(to);
        if (!(value == s.get(from)))
            change.assignments.append({s.key, std::move(value)});
    }
    return change;
}

void ConfigChange::applyTo(Scenario &scenario) const
{
    for (const SettingAssignment &a : assignments) {
        if (const SettingDef *setting = findSetting(a.key))
            setting->put(scenario, a.value);
    }
}

QStringList ConfigChange::keys() const
{
    QStringList list;
    for (const SettingAssignment &a : assignments)
        list << a.key;
    return list;
}

QStringList ConfigChange::toStrings() const
{
    QStringList list;
    for (const SettingAssignment &a : assignments) {
        const SettingDef *setting = findSetting(a.key);
        list << a.key + u'=' + (setting ? setting->text(a.value) : QString());
    }
    return list;
}

QString ConfigChange::toString() const
{
    return toStrings().join(u"; "_s);
}

} // namespace cachescope
