#pragma once

// Internals of Scenario shared by its two source files: the JSON lists (criteria, scheduled
// changes) and the checks on a scenario file's text that QJsonDocument does not make.
#include "core/scenario/scenario.h"

#include <QByteArrayView>
#include <QJsonObject>

namespace cachescope::detail {

/// Reads "criteria" of \a json into \a scenario (when present); throws ScenarioError naming the field.
void readCriteria(const QJsonObject &json, Scenario &scenario);
/// Reads "changes" of \a json into \a scenario (when present); throws ScenarioError naming the field.
void readChanges(const QJsonObject &json, Scenario &scenario);
/// A scenario from the text of a file named \a origin (for messages): JSON, one object, no key
/// given twice; what Scenario::fromFile does once it has read the file. Throws ScenarioError.
Scenario scenarioFromText(const QByteArray &text, const QString &origin);
/// The dotted path of the first key that an object of \a json holds twice ("cache.l1.ttl",
/// "criteria[1].op"); empty when none does. \a json must be valid JSON.
QString firstDuplicateKey(QByteArrayView json);

} // namespace cachescope::detail
