#include "ui/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace cachescope::language {

namespace {
QSettings store()
{
    return QSettings(QSettings::NativeFormat, QSettings::UserScope, u"cachescope"_s, u"cachescope"_s);
}

// The translators installed now (CacheScope's, Qt's), owned here for the life of the program.
std::unique_ptr<QTranslator> &ownTranslator()
{
    static std::unique_ptr<QTranslator> translator;
    return translator;
}

std::unique_ptr<QTranslator> &qtTranslator()
{
    static std::unique_ptr<QTranslator> translator;
    return translator;
}
} // namespace

QStringList available()
{
    return {u"en"_s, u"zh_CN"_s};
}

QString nativeName(const QString &code)
{
    if (code == u"zh_CN"_s)
        return u"简体中文"_s;
    return u"English"_s;
}

QString chosen()
{
    const QString choice = store().value(u"view/language"_s, u"system"_s).toString();
    return available().contains(choice) ? choice : u"system"_s;
}

void choose(const QString &choice)
{
    store().setValue(u"view/language"_s, available().contains(choice) ? choice : u"system"_s);
}

QString resolve(const QString &choice, const QLocale &system)
{
    if (available().contains(choice))
        return choice;
    // uiLanguages() lists the user's preferences, most wanted first ("zh-Hans-CN", "zh-CN", "zh").
    for (const QString &wanted : system.uiLanguages()) {
        const QLocale locale(wanted);
        if (locale.language() == QLocale::English)
            return u"en"_s;
        if (locale.language() == QLocale::Chinese && locale.script() != QLocale::TraditionalChineseScript
            && locale.territory() != QLocale::Taiwan && locale.territory() != QLocale::HongKong
            && locale.territory() != QLocale::Macau)
            return u"zh_CN"_s;
    }
    return u"en"_s;
}

QString install(const QString &choice, const QLocale &system)
{
    QString code = resolve(choice, system);
    for (std::unique_ptr<QTranslator> *t : {&ownTranslator(), &qtTranslator()}) {
        if (*t)
            QCoreApplication::removeTranslator(t->get());
        t->reset();
    }
    if (code == u"en"_s)
        return code; // the source language: nothing to install
    auto own = std::make_unique<QTranslator>();
    if (!own->load(u":/cachescope/i18n/cachescope_"_s + code + u".qm"_s))
        return u"en"_s;
    QCoreApplication::installTranslator(own.get());
    ownTranslator() = std::move(own);
    // Qt's own words (OK, Cancel, the file dialog), from qt6-translations-l10n when installed.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(u"qtbase_"_s + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        qtTranslator() = std::move(qt);
    }
    return code;
}

} // namespace cachescope::language
