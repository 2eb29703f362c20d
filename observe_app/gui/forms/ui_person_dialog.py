# Generated from ui/person_dialog.ui by tools/build_ui.py (pyside6-uic). DO NOT EDIT:
# change the form in Qt Designer and run `python tools/build_ui.py`.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QHBoxLayout, QLabel, QLineEdit, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_PersonDialog(object):
    def setupUi(self, PersonDialog):
        if not PersonDialog.objectName():
            PersonDialog.setObjectName(u"PersonDialog")
        PersonDialog.resize(460, 330)
        self.outer_layout = QVBoxLayout(PersonDialog)
        self.outer_layout.setObjectName(u"outer_layout")
        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name_label = QLabel(PersonDialog)
        self.name_label.setObjectName(u"name_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.name_label)

        self.name_edit = QLineEdit(PersonDialog)
        self.name_edit.setObjectName(u"name_edit")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.name_edit)

        self.name_error = QLabel(PersonDialog)
        self.name_error.setObjectName(u"name_error")
        self.name_error.setWordWrap(True)
        self.name_error.setVisible(False)
        self.name_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.name_error)

        self.email_label = QLabel(PersonDialog)
        self.email_label.setObjectName(u"email_label")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.email_label)

        self.email_edit = QLineEdit(PersonDialog)
        self.email_edit.setObjectName(u"email_edit")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.email_edit)

        self.email_error = QLabel(PersonDialog)
        self.email_error.setObjectName(u"email_error")
        self.email_error.setWordWrap(True)
        self.email_error.setVisible(False)
        self.email_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form_layout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.email_error)

        self.role_label = QLabel(PersonDialog)
        self.role_label.setObjectName(u"role_label")

        self.form_layout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.role_label)

        self.role_combo = QComboBox(PersonDialog)
        self.role_combo.setObjectName(u"role_combo")

        self.form_layout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.role_combo)

        self.subject_label = QLabel(PersonDialog)
        self.subject_label.setObjectName(u"subject_label")

        self.form_layout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.subject_label)

        self.subject_edit = QLineEdit(PersonDialog)
        self.subject_edit.setObjectName(u"subject_edit")

        self.form_layout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.subject_edit)

        self.subject_error = QLabel(PersonDialog)
        self.subject_error.setObjectName(u"subject_error")
        self.subject_error.setWordWrap(True)
        self.subject_error.setVisible(False)
        self.subject_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form_layout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.subject_error)

        self.stage_label = QLabel(PersonDialog)
        self.stage_label.setObjectName(u"stage_label")

        self.form_layout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.stage_label)

        self.stage_combo = QComboBox(PersonDialog)
        self.stage_combo.setObjectName(u"stage_combo")

        self.form_layout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.stage_combo)

        self.start_label = QLabel(PersonDialog)
        self.start_label.setObjectName(u"start_label")

        self.form_layout.setWidget(8, QFormLayout.ItemRole.LabelRole, self.start_label)

        self.start_layout = QHBoxLayout()
        self.start_layout.setObjectName(u"start_layout")
        self.start_check = QCheckBox(PersonDialog)
        self.start_check.setObjectName(u"start_check")

        self.start_layout.addWidget(self.start_check)

        self.start_date = QDateEdit(PersonDialog)
        self.start_date.setObjectName(u"start_date")
        self.start_date.setEnabled(False)
        self.start_date.setCalendarPopup(True)

        self.start_layout.addWidget(self.start_date)

        self.start_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.start_layout.addItem(self.start_spacer)


        self.form_layout.setLayout(8, QFormLayout.ItemRole.FieldRole, self.start_layout)

        self.start_error = QLabel(PersonDialog)
        self.start_error.setObjectName(u"start_error")
        self.start_error.setWordWrap(True)
        self.start_error.setVisible(False)
        self.start_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form_layout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.start_error)

        self.mentor_label = QLabel(PersonDialog)
        self.mentor_label.setObjectName(u"mentor_label")

        self.form_layout.setWidget(10, QFormLayout.ItemRole.LabelRole, self.mentor_label)

        self.mentor_combo = QComboBox(PersonDialog)
        self.mentor_combo.setObjectName(u"mentor_combo")

        self.form_layout.setWidget(10, QFormLayout.ItemRole.FieldRole, self.mentor_combo)


        self.outer_layout.addLayout(self.form_layout)

        self.error_label = QLabel(PersonDialog)
        self.error_label.setObjectName(u"error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)

        self.outer_layout.addWidget(self.error_label)

        self.bottom_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outer_layout.addItem(self.bottom_spacer)

        self.buttons = QDialogButtonBox(PersonDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.outer_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.name_label.setBuddy(self.name_edit)
        self.email_label.setBuddy(self.email_edit)
        self.role_label.setBuddy(self.role_combo)
        self.subject_label.setBuddy(self.subject_edit)
        self.stage_label.setBuddy(self.stage_combo)
        self.start_label.setBuddy(self.start_check)
        self.mentor_label.setBuddy(self.mentor_combo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.name_edit, self.email_edit)
        QWidget.setTabOrder(self.email_edit, self.role_combo)
        QWidget.setTabOrder(self.role_combo, self.subject_edit)
        QWidget.setTabOrder(self.subject_edit, self.stage_combo)
        QWidget.setTabOrder(self.stage_combo, self.start_check)
        QWidget.setTabOrder(self.start_check, self.start_date)
        QWidget.setTabOrder(self.start_date, self.mentor_combo)

        self.retranslateUi(PersonDialog)
    # setupUi

    def retranslateUi(self, PersonDialog):
        PersonDialog.setWindowTitle(QCoreApplication.translate("PersonDialog", u"Person", None))
        self.name_label.setText(QCoreApplication.translate("PersonDialog", u"&Name", None))
#if QT_CONFIG(accessibility)
        self.name_edit.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Name", None))
#endif // QT_CONFIG(accessibility)
        self.name_edit.setPlaceholderText(QCoreApplication.translate("PersonDialog", u"First and last name", None))
#if QT_CONFIG(accessibility)
        self.name_error.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Problem with the name", None))
#endif // QT_CONFIG(accessibility)
        self.email_label.setText(QCoreApplication.translate("PersonDialog", u"&Email", None))
#if QT_CONFIG(accessibility)
        self.email_edit.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Email", None))
#endif // QT_CONFIG(accessibility)
        self.email_edit.setPlaceholderText(QCoreApplication.translate("PersonDialog", u"optional", None))
#if QT_CONFIG(accessibility)
        self.email_error.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Problem with the email", None))
#endif // QT_CONFIG(accessibility)
        self.role_label.setText(QCoreApplication.translate("PersonDialog", u"&Role", None))
#if QT_CONFIG(accessibility)
        self.role_combo.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Role", None))
#endif // QT_CONFIG(accessibility)
        self.subject_label.setText(QCoreApplication.translate("PersonDialog", u"&Subject", None))
#if QT_CONFIG(accessibility)
        self.subject_edit.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Subject", None))
#endif // QT_CONFIG(accessibility)
        self.subject_edit.setPlaceholderText(QCoreApplication.translate("PersonDialog", u"e.g. Mathematics", None))
#if QT_CONFIG(accessibility)
        self.subject_error.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Problem with the subject", None))
#endif // QT_CONFIG(accessibility)
        self.stage_label.setText(QCoreApplication.translate("PersonDialog", u"&Career stage", None))
#if QT_CONFIG(accessibility)
        self.stage_combo.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Career stage", None))
#endif // QT_CONFIG(accessibility)
        self.start_label.setText(QCoreApplication.translate("PersonDialog", u"S&tarted teaching", None))
        self.start_check.setText(QCoreApplication.translate("PersonDialog", u"Known", None))
#if QT_CONFIG(accessibility)
        self.start_check.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Start date known", None))
#endif // QT_CONFIG(accessibility)
        self.start_date.setDisplayFormat(QCoreApplication.translate("PersonDialog", u"yyyy-MM-dd", None))
#if QT_CONFIG(accessibility)
        self.start_date.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Start date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.start_error.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Problem with the start date", None))
#endif // QT_CONFIG(accessibility)
        self.mentor_label.setText(QCoreApplication.translate("PersonDialog", u"&Mentor", None))
#if QT_CONFIG(accessibility)
        self.mentor_combo.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Mentor", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.error_label.setAccessibleName(QCoreApplication.translate("PersonDialog", u"Problem", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

