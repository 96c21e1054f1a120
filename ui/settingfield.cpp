#include "ui/settingfield.h"
#include "ui/coretext.h"
#include "ui/tiptext.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <iterator>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// What a setting accepts, as the window says it: a range ("1 … 4096", "≥ 0"), the choices, or
// what a text names ("a SQLite file") in the user's language.
QString shownRange(const SettingDef &setting)
{
    if (setting.kind == SettingKind::Text)
        return coreText("Settings", setting.values);
    return setting.rangeText().remove(u'`');
}

// 1-2-5 steps within each unit, then the usual minutes and hours: what a person types for a TTL
// or a phase, so stepping lands on values worth keeping.
std::vector<std::int64_t> durationLadder()
{
    using namespace std::chrono;
    std::vector<std::int64_t> ladder;
    for (const std::int64_t unit : {std::int64_t(1'000), std::int64_t(1'000'000)})
        for (const std::int64_t m : {1, 2, 5, 10, 20, 50, 100, 200, 500})
            ladder.push_back(m * unit);
    for (const auto s : {1s, 2s, 5s, 10s, 15s, 30s})
        ladder.push_back(nanoseconds(s).count());
    for (const auto m : {1min, 2min, 5min, 10min, 15min, 30min})
        ladder.push_back(nanoseconds(m).count());
    for (const auto h : {1h, 2h, 6h, 12h, 24h})
        ladder.push_back(nanoseconds(h).count());
    return ladder;
}

double magnitudeStep(double value)
{
    const double v = std::abs(value);
    return v < 100 ? 1.0 : std::pow(10.0, std::floor(std::log10(v)) - 1.0);
}
} // namespace

SettingValue steppedValue(const SettingDef &setting, const SettingValue &value, int steps)
{
    switch (setting.kind) {
    case SettingKind::Integer: {
        const auto v = double(std::get<std::int64_t>(value));
        // A step down from 100 is 99, not 90: the step is that of the value it goes to.
        const double step = steps > 0 ? magnitudeStep(v) : magnitudeStep(v - 1);
        const double next = std::clamp(v + steps * step, setting.min, setting.max);
        return std::int64_t(std::llround(next));
    }
    case SettingKind::Number: {
        const double v = std::get<double>(value);
        const double step = setting.max <= 1.0 ? 0.01 : setting.max <= 10.0 ? 0.05 : magnitudeStep(v);
        // Round to the step, so 0.2 + 0.01 shows 0.21, not 0.21000000000000002.
        const double next = std::round((v + steps * step) / step) * step;
        return std::clamp(next, setting.min, setting.max);
    }
    case SettingKind::Duration: {
        static const std::vector<std::int64_t> ladder = durationLadder();
        std::int64_t v = std::get<std::chrono::nanoseconds>(value).count();
        for (int i = 0; i < std::abs(steps); ++i) {
            if (steps > 0) {
                const auto up = std::upper_bound(ladder.begin(), ladder.end(), v);
                v = up == ladder.end() ? v * 2 : *up;
            } else {
                const auto down = std::lower_bound(ladder.begin(), ladder.end(), v);
                v = down == ladder.begin() ? 0 : *std::prev(down);
            }
        }
        return std::chrono::nanoseconds(std::max<std::int64_t>(v, std::int64_t(setting.min)));
    }
    default:
        return value;
    }
}

SettingField::SettingField(const SettingDef &setting, bool suggest, QWidget *parent)
    : QWidget(parent)
    , m_setting(setting)
    , m_value(setting.get(Scenario()))
{
    setObjectName(setting.key);
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setHorizontalSpacing(0);
    layout->setVerticalSpacing(2);
    QWidget *input = nullptr;
    const bool choice = setting.kind == SettingKind::Choice || setting.kind == SettingKind::Flag;
    if (choice || suggest) {
        m_combo = new QComboBox;
        m_combo->setObjectName(setting.key + u"_combo"_s);
        if (choice) {
            m_combo->addItems(setting.choices);
            connect(m_combo, &QComboBox::currentIndexChanged, this, [this](int index) {
                if (m_filling || index < 0)
                    return;
                accept(m_setting.kind == SettingKind::Flag ? SettingValue(index == 1) : SettingValue(Choice {index}));
                Q_EMIT committed();
            });
        } else {
            m_combo->setEditable(true);
            m_combo->setInsertPolicy(QComboBox::NoInsert);
            m_edit = m_combo->lineEdit();
            connect(m_combo, &QComboBox::textActivated, this, [this] { commitText(); });
        }
        input = m_combo;
    } else {
        m_edit = new QLineEdit;
        input = m_edit;
    }
    if (m_edit) {
        m_edit->setObjectName(setting.key + u"_edit"_s);
        m_edit->setPlaceholderText(
            setting.kind == SettingKind::Duration ? tr("e.g. 250us, 5ms, 30s, 2m, 1h") : shownRange(setting));
        connect(m_edit, &QLineEdit::editingFinished, this, [this] { commitText(); });
        connect(m_edit, &QLineEdit::textEdited, this, [this] {
            // Typing again clears the frame; the reason stays until the next commit says more.
            m_edit->setStyleSheet(QString());
        });
        m_edit->installEventFilter(this);
    }
    input->setToolTip(tipText(coreText("Settings", setting.help) + u"\n\n"_s + shownRange(setting)
        + (setting.unit.isEmpty() ? QString() : u" "_s + coreText("Settings", setting.unit)) + u"\n"_s
        + (setting.live ? tr("Applies during a run.") : tr("Fixed once a run starts."))));
    input->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    layout->addWidget(input, 0, 0);
    layout->setColumnStretch(0, 1);
    if (steps()) {
        auto makeButton = [&](const QString &text, int direction, const QString &name) {
            auto *button = new QToolButton;
            button->setObjectName(setting.key + name);
            button->setText(text);
            button->setAutoRepeat(true);
            button->setFocusPolicy(Qt::NoFocus);
            button->setToolTip(direction > 0 ? tr("Step up") : tr("Step down"));
            connect(button, &QToolButton::clicked, this, [this, direction] { stepBy(direction); });
            return button;
        };
        m_down = makeButton(u"−"_s, -1, u"_down"_s);
        m_up = makeButton(u"+"_s, +1, u"_up"_s);
        layout->addWidget(m_down, 0, 1);
        layout->addWidget(m_up, 0, 2);
    }
    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName(setting.key + u"_error"_s);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(u"QLabel { color: #b3261e; font-size: small; }"_s);
    m_errorLabel->hide();
    layout->addWidget(m_errorLabel, 1, 0, 1, 3);
    setValue(m_value);
}

bool SettingField::steps() const
{
    return m_setting.kind == SettingKind::Integer || m_setting.kind == SettingKind::Number
        || m_setting.kind == SettingKind::Duration;
}

void SettingField::setValue(const SettingValue &value)
{
    m_filling = true;
    m_value = value;
    if (m_combo && !m_edit)
        m_combo->setCurrentIndex(
            m_setting.kind == SettingKind::Flag ? (std::get<bool>(value) ? 1 : 0) : std::get<Choice>(value).index);
    else
        m_edit->setText(m_setting.text(value));
    m_filling = false;
    showError({});
}

void SettingField::accept(const SettingValue &value)
{
    m_value = value;
    showError({});
}

bool SettingField::commitText()
{
    if (!m_edit || m_filling)
        return true;
    QString text = m_edit->text().trimmed();
    if (m_setting.kind == SettingKind::Integer)
        text.remove(u',').remove(u'_'); // 20,000 and 20_000 as 20000
    try {
        const SettingValue parsed = m_setting.parse(QJsonValue(text));
        const bool changed = parsed != m_value;
        accept(parsed);
        m_filling = true;
        m_edit->setText(m_setting.text(parsed)); // what it was read as: "5m", "500us"
        m_filling = false;
        if (changed)
            Q_EMIT committed();
        return true;
    } catch (const ScenarioError &error) {
        showError(error.message());
        Q_EMIT refused(error.message());
        return false;
    }
}

void SettingField::showError(const QString &reason)
{
    m_error = reason;
    m_errorLabel->setText(reason);
    m_errorLabel->setVisible(!reason.isEmpty());
    if (m_edit)
        m_edit->setStyleSheet(reason.isEmpty() ? QString() : u"QLineEdit { border: 1px solid #b3261e; }"_s);
}

void SettingField::stepBy(int count)
{
    if (!steps() || !isEnabled())
        return;
    // A step starts from what is typed when that is valid, else from the last good value.
    if (!m_error.isEmpty() || !commitText())
        setValue(m_value);
    const SettingValue next = steppedValue(m_setting, m_value, count);
    if (next == m_value)
        return;
    setValue(next);
    Q_EMIT committed();
}

void SettingField::setSuggestions(const QStringList &choices)
{
    if (!m_combo || !m_edit)
        return;
    m_filling = true;
    const QString text = m_edit->text();
    m_combo->clear();
    m_combo->addItems(choices);
    m_edit->setText(text);
    m_filling = false;
}

bool SettingField::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && steps()) {
        if (event->type() == QEvent::KeyPress) {
            const auto *key = static_cast<QKeyEvent *>(event);
            if (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down) {
                stepBy(key->key() == Qt::Key_Up ? 1 : -1);
                return true;
            }
        } else if (event->type() == QEvent::Wheel && m_edit->hasFocus()) {
            const int delta = static_cast<QWheelEvent *>(event)->angleDelta().y();
            if (delta != 0)
                stepBy(delta > 0 ? 1 : -1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace cachescope
