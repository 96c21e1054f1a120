#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

/// The languages the window speaks. English is the source language of every text; Simplified
/// Chinese comes from translations/cachescope_zh_CN.ts, built into the program by CMake.
namespace cachescope::language {

/// The language codes there are translations for, English first: "en", "zh_CN".
QStringList available();
/// A language's name in that language, as a menu lists it ("English", "简体中文").
QString nativeName(const QString &code);
/// What the user chose in View → Language: "system" (the default: follow the locale), or a code
/// of available(). Kept with the window's settings (QSettings "view/language").
QString chosen();
/// Remembers \a choice ("system" or a code); an unknown code is stored as "system".
void choose(const QString &choice);
/// The language \a choice means on a system whose locale is \a system: the code itself, or for
/// "system" (and anything unknown) the first of the locale's UI languages there is a
/// translation for, else "en".
QString resolve(const QString &choice, const QLocale &system = QLocale::system());
/// Installs the translations of resolve(choice, system) into the application (CacheScope's own
/// and Qt's, for its dialogs' buttons), replacing any installed before; returns the code in use.
/// Call before the window is built: texts are translated when widgets are made.
QString install(const QString &choice, const QLocale &system = QLocale::system());

} // namespace cachescope::language
