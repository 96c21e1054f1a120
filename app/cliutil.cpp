#include "app/cliutil.h"

#include "app/cli.h"
#include "core/result/runresult.h"

using namespace Qt::StringLiterals;

namespace cachescope::cli {

int verdictExitCode(const RunResult &result)
{
    if (!result.error.isEmpty())
        return kRunError;
    switch (result.verdict) {
    case Verdict::Pass:
        return kPassed;
    case Verdict::Fail:
        return kFailed;
    case Verdict::Inconclusive:
        break;
    }
    return kInconclusive;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

QString printable(const QString &message)
{
    constexpr qsizetype kMaxLength = 2000;
    QString out;
    for (const QChar c : message.left(kMaxLength)) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += u"\\x"_s + QString::number(c.unicode(), 16).rightJustified(2, u'0');
        else
            out += c;
    }
    if (message.size() > kMaxLength)
        out += u"… (%1 more characters)"_s.arg(message.size() - kMaxLength);
    return out;
}

int badInput(const QString &message)
{
    err() << "cachescope: " << printable(message) << Qt::endl;
    return kBadInput;
}

std::optional<int> parse(QCommandLineParser &parser, const QStringList &arguments, const QString &command)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(help);
    QStringList args = arguments;
    args.removeAt(1); // the subcommand
    if (!parser.parse(args))
        return badInput(command + u": "_s + parser.errorText());
    if (parser.isSet(help)) {
        out() << parser.helpText().replace(u"[options]"_s, command + u" [options]"_s);
        out().flush();
        return kPassed;
    }
    return std::nullopt;
}

} // namespace cachescope::cli
