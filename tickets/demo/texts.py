"""What the demo tickets say: one template per kind of request, by system and by moment.

A template names who may send it (requester types) and when (``where``):

- ``ext_before``, ``ext_day``, ``ext_after``: an EXT-2021 state before, on and after its
  election day;
- ``pefe``: the federal extraordinary senate election in Nayarit (PEFE-2021-NAY);
- ``pel``: the 2021-2022 local processes, which started in September 2021;
- ``ord``: ordinary activity (no process).

Placeholders: {lugar} {entidad} {seccion} {casilla} {solicitante} {cantidad}.
"""

from __future__ import annotations

from dataclasses import dataclass

from tickets.helpdesk.models import Priority


@dataclass(frozen=True)
class Template:
    """One kind of request, with the text of its resolution."""

    system: str
    category: str
    kinds: frozenset[str]
    where: frozenset[str]
    subject: str
    description: str
    resolution: str
    priority: Priority = Priority.MEDIUM
    weight: int = 2
    hours: tuple[int, int] = (8, 21)
    states: frozenset[str] = frozenset()


def t(system, category, kinds, where, subject, description, resolution, **extra) -> Template:
    """A template; ``kinds``, ``where`` and ``states`` are space-separated words."""
    if "states" in extra:
        extra["states"] = frozenset(extra["states"].split())
    return Template(
        system,
        category,
        frozenset(kinds.split()),
        frozenset(where.split()),
        subject,
        description,
        resolution,
        **extra,
    )


HIGH, CRITICAL, LOW = Priority.HIGH, Priority.CRITICAL, Priority.LOW

BEFORE = "ext_before pefe"

# fmt: off
TEMPLATES = (
    # --- before the election day: representatives, polling stations, staff, drills ---
    t(
        "REPRESENTANTES", "DATOS", "party candidacy", BEFORE,
        "No se puede registrar representante ante la casilla {casilla}",
        "Al capturar el registro de representantes ante mesa directiva de casilla para la "
        "elección de {lugar}, el sistema indica que la casilla {casilla} no existe en el listado "
        "aprobado. El plazo de registro vence en pocos días.",
        "La casilla se aprobó en una sesión posterior al corte que cargó el sistema. Se actualizó "
        "el catálogo de casillas y ya es posible registrar a la persona representante.",
        weight=4,
    ),
    t(
        "REPRESENTANTES", "ACCESO", "party candidacy", BEFORE,
        "Cuenta para registrar representantes generales y ante casilla",
        "{solicitante} requiere usuario y contraseña para capturar a sus representantes generales "
        "y ante mesas directivas de casilla para la elección extraordinaria de {lugar}.",
        "Se generó la cuenta con perfil de captura y se envió al correo registrado ante el "
        "Consejo. Se confirmó por teléfono el primer inicio de sesión.",
        weight=3,
    ),
    t(
        "REPRESENTANTES", "INCIDENCIA", "party candidacy junta", BEFORE,
        "Los nombramientos de representantes se descargan en blanco",
        "Al descargar en PDF los nombramientos de representantes ante casilla de {lugar}, el "
        "archivo se genera sin datos. Lo intentamos en dos equipos con el mismo resultado.",
        "El navegador bloqueaba la ventana emergente que completa el formato. Se explicó cómo "
        "permitirla para el sitio y los nombramientos se descargan completos.",
        weight=3,
    ),
    t(
        "REPRESENTANTES", "CONSULTA", "junta", BEFORE,
        "Duda sobre sustituciones de representantes recibidas fuera de plazo",
        "{solicitante} pregunta si el sistema permite capturar sustituciones de representantes "
        "ante casilla que los partidos entregaron después del plazo legal.",
        "Se aclaró que el sistema cierra la captura al vencer el plazo aprobado y que las "
        "sustituciones posteriores no proceden. Se compartió el calendario del acuerdo.",
    ),
    t(
        "UBICACION_CASILLAS", "DATOS", "junta", BEFORE,
        "Corregir el domicilio de la casilla {casilla}",
        "En el recorrido de verificación se detectó que el domicilio capturado para la casilla "
        "{casilla} de {lugar} no coincide con el que aprobó el Consejo. Debe corregirse antes de "
        "publicar el encarte.",
        "Se habilitó la edición del registro; la Junta capturó el domicilio aprobado y se "
        "regeneró la lista de ubicación e integración de casillas.",
        weight=3,
    ),
    t(
        "UBICACION_CASILLAS", "INCIDENCIA", "junta", BEFORE,
        "No se genera el encarte de ubicación de casillas",
        "Al generar el encarte de {lugar}, el proceso queda en «procesando» más de 30 minutos y "
        "no entrega el archivo.",
        "Se reinició la cola de generación en el servidor de aplicaciones; el encarte se generó "
        "y la Junta lo descargó sin problema.",
        priority=HIGH,
    ),
    t(
        "UBICA_CASILLA", "DATOS", "junta opl", BEFORE,
        "Ubica tu Casilla muestra un domicilio anterior en la sección {seccion}",
        "Ciudadanía de {lugar} reporta que la consulta pública muestra el domicilio usado en la "
        "elección de junio y no el aprobado para la elección extraordinaria.",
        "Se publicó el corte vigente de ubicación de casillas; la consulta ya muestra el "
        "domicilio correcto. Se pidió a la Junta verificar dos secciones más.",
        priority=HIGH,
    ),
    t(
        "ELEC", "DATOS", "junta", BEFORE,
        "Sustitución de funcionario de casilla no aparece en el Multisistema ELEC",
        "Se capturó la sustitución de una persona funcionaria de la casilla {casilla} y el "
        "reporte de integración de mesas directivas no la refleja.",
        "La sustitución quedó guardada sin confirmar. Se confirmó el movimiento y el reporte de "
        "integración ya la muestra.",
        weight=3,
    ),
    t(
        "ELEC", "ACCESO", "junta", BEFORE,
        "Alta de {cantidad} cuentas del Multisistema ELEC para SE y CAE",
        "{solicitante} solicita cuentas para las personas supervisoras electorales y "
        "capacitadoras-asistentes electorales contratadas para la elección extraordinaria.",
        "Se dieron de alta las cuentas con el perfil correspondiente y se entregaron las "
        "credenciales a la vocalía de capacitación.",
    ),
    t(
        "SIJE", "CAPACITACION", "junta", BEFORE,
        "Capacitación previa al simulacro del SIJE",
        "{solicitante} pide una sesión remota sobre el reporte de instalación de casillas e "
        "incidentes en la APP-SIJE antes del simulacro.",
        "Se impartió la sesión por videoconferencia a SE, CAE y personal de la sala SIJE; se "
        "compartieron la guía de uso y la presentación.",
        priority=LOW,
    ),
    t(
        "SIJE", "ACCESO", "junta", BEFORE,
        "CAE sin acceso a la APP-SIJE durante el simulacro",
        "En el simulacro del SIJE, {cantidad} CAE no pueden iniciar sesión en la APP-SIJE; la "
        "aplicación responde «usuario no vigente».",
        "Las cuentas no estaban vinculadas a sus áreas de responsabilidad. Se vincularon y ya "
        "pueden enviar reportes.",
        priority=HIGH,
        weight=3,
    ),
    t(
        "SIJE", "INCIDENCIA", "junta", BEFORE,
        "El reporte del simulacro del SIJE no refleja casillas capturadas",
        "Durante el simulacro, el reporte de avance de instalación no incluye {cantidad} casillas "
        "que la sala SIJE ya capturó.",
        "El reporte se actualiza cada cinco minutos; se forzó la actualización y coincidió con "
        "lo capturado. Se explicó el ciclo de actualización.",
    ),
    t(
        "SIJE", "INFRAESTRUCTURA", "junta", BEFORE,
        "Sin enlace a internet en la sala SIJE",
        "La sala SIJE de {solicitante} no tiene enlace desde la mañana; el proveedor no da fecha "
        "de reparación y se acerca la jornada.",
        "Se gestionó un enlace de respaldo con banda ancha móvil y el proveedor restableció el "
        "servicio principal; se probó la conexión con la APP-SIJE.",
        priority=HIGH,
    ),
    t(
        "PREP", "CONSULTA", "opl", "ext_before",
        "Seguimiento a los simulacros del PREP",
        "{solicitante} informa las fechas de sus simulacros del PREP y pregunta el formato para "
        "reportar sus resultados al Instituto.",
        "Se compartió el formato de seguimiento a simulacros (artículo 354 del Reglamento de "
        "Elecciones) y se acordó el enlace con la Junta Local para observarlos.",
        weight=3,
    ),
    t(
        "PREP", "INCIDENCIA", "opl", "ext_before",
        "En el simulacro del PREP el CATD no sincroniza actas digitalizadas",
        "Durante el simulacro, el Centro de Acopio y Transmisión de Datos de {lugar} digitaliza "
        "actas que no llegan al centro de captura.",
        "El equipo de digitalización tenía la hora desfasada y el servidor rechazaba los "
        "paquetes. Se sincronizó la hora y se repitió la transmisión con éxito.",
        priority=HIGH,
    ),
    t(
        "SNR", "DATOS", "opl party candidacy", "ext_before",
        "Sustitución de candidatura por renuncia en el SNR",
        "Se requiere registrar la sustitución de una candidatura a regiduría de {lugar} por "
        "renuncia; el sistema no permite editar el registro ya aprobado.",
        "La sustitución se registra desde la opción de sustituciones, no editando el registro. "
        "Se acompañó la captura y el OPL aprobó el movimiento.",
        weight=3,
    ),
    t(
        "SNR", "ACCESO", "opl", "ext_before",
        "Firma electrónica rechazada al aprobar candidaturas en el SNR",
        "Al aprobar candidaturas de {lugar}, el SNR rechaza la e.firma de la persona "
        "Responsable de Gestión del OPL con el mensaje «certificado no válido».",
        "El certificado había vencido. La persona renovó su e.firma y se actualizó en el "
        "sistema; la aprobación se concluyó.",
        priority=HIGH,
    ),
    t(
        "SIF", "CONSULTA", "party candidacy", BEFORE,
        "Cómo registrar gastos de propaganda en el SIF",
        "{solicitante} pregunta cómo registrar en el SIF el gasto de lonas y volantes de la "
        "campaña en {lugar} y qué evidencia debe adjuntar.",
        "Se explicó el registro contable de propaganda utilitaria y la evidencia requerida; se "
        "compartió la guía de la Unidad Técnica de Fiscalización.",
        weight=3,
    ),
    t(
        "SIF", "INCIDENCIA", "party candidacy", BEFORE,
        "Error al adjuntar evidencia en el SIF",
        "Al adjuntar facturas en PDF a una póliza, el SIF muestra «error al procesar el archivo» "
        "y no guarda la evidencia.",
        "Los archivos excedían el tamaño permitido. Se indicó cómo dividirlos y la evidencia "
        "quedó adjunta.",
    ),
    t(
        "CONOCELES", "DATOS", "party candidacy", BEFORE,
        "Captura del cuestionario curricular en Conóceles",
        "{solicitante} no puede guardar el cuestionario curricular de una candidatura de "
        "{lugar}: el botón «Guardar» no responde.",
        "Faltaba un campo obligatorio en la sección de trayectoria; al completarlo el "
        "cuestionario se guardó y quedó publicado.",
    ),
    t(
        "SESIONES", "CONSULTA", "junta", BEFORE,
        "Registro de la sesión extraordinaria del Consejo Distrital",
        "{solicitante} pregunta cómo registrar una sesión extraordinaria convocada con menos de "
        "24 horas para aprobar sustituciones de funcionarios de casilla.",
        "Se explicó el registro de sesiones urgentes y la carga del acta; la sesión quedó "
        "registrada.",
        priority=LOW,
    ),
    t(
        "OBSERVADORES", "DATOS", "junta", BEFORE,
        "Solicitudes de observación electoral sin asignar a la Junta",
        "Hay {cantidad} solicitudes de observación para la elección de {lugar} que el portal no "
        "asigna a ninguna Junta Distrital.",
        "Las solicitudes traían una sección fuera del catálogo; se corrigió la asignación y la "
        "Junta ya puede revisarlas.",
    ),
    t(
        "SIVEI", "CONSULTA", "junta opl", "pefe",
        "Voto por internet para la senaduría de Nayarit",
        "{solicitante} recibe consultas de ciudadanía residente en el extranjero sobre cómo "
        "votar por internet en la elección extraordinaria de senaduría.",
        "Se compartió la liga del sistema, el calendario de votación y el material de "
        "orientación para canalizar las consultas.",
        weight=3,
    ),
    t(
        "SICCE", "INCIDENCIA", "junta", "pefe",
        "Validación del SICCE para casillas especiales",
        "En la validación del Sistema de Consulta en Casillas Especiales, el equipo de la casilla "
        "especial no inicializa la base de datos.",
        "La base de datos no correspondía al corte vigente. Se reinstaló el paquete y la "
        "inicialización concluyó en sesión del Consejo Distrital.",
        priority=HIGH,
    ),
    t(
        "COMPUTOS", "CAPACITACION", "junta", "pefe",
        "Capacitación en el Sistema de Cómputos Distritales",
        "{solicitante} solicita una sesión sobre el Sistema de Cómputos Distritales para el "
        "personal que participará en el cómputo de la senaduría.",
        "Se impartió la capacitación en línea y se habilitó el ambiente de práctica.",
        priority=LOW,
    ),
    # --- election day: the SIJE in the morning, the PREP at night ---
    t(
        "SIJE", "INCIDENCIA", "junta", "ext_day",
        "El SIJE no muestra el reporte de instalación de casillas",
        "Desde hace media hora la sala SIJE no puede consultar el avance de instalación de "
        "casillas de {lugar}; la pantalla queda en blanco.",
        "Se reinició el servicio de reportes y el avance de instalación se muestra de nuevo. "
        "No hubo pérdida de información capturada.",
        priority=CRITICAL,
        weight=5,
        hours=(7, 13),
    ),
    t(
        "SIJE", "ACCESO", "junta", "ext_day",
        "CAE no puede enviar el reporte desde la APP-SIJE",
        "Una persona CAE de {lugar} no puede enviar el primer reporte de la casilla {casilla}; "
        "la aplicación marca «sesión expirada».",
        "Se restableció la sesión del dispositivo y la persona envió el reporte; se confirmó en "
        "el tablero del SIJE.",
        priority=HIGH,
        weight=4,
        hours=(7, 12),
    ),
    t(
        "SIJE", "DATOS", "junta", "ext_day ext_after",
        "Corregir un incidente capturado en el SIJE",
        "Se capturó un incidente en la casilla {casilla} que en realidad corresponde a la "
        "casilla contigua; {solicitante} pide corregirlo.",
        "Se habilitó la corrección para la sala SIJE y el incidente quedó en la casilla "
        "correcta.",
        weight=3,
        hours=(9, 20),
    ),
    t(
        "SIJE", "INFRAESTRUCTURA", "junta", "ext_day",
        "Corte de energía en la sala SIJE",
        "Hay un corte de energía en el inmueble de {solicitante}; la sala SIJE opera con la "
        "planta de emergencia y un solo equipo.",
        "Se restableció la energía y se verificó que los equipos de la sala SIJE registraran sin "
        "pérdida de información.",
        priority=CRITICAL,
        hours=(7, 18),
    ),
    t(
        "REPRESENTANTES", "CONSULTA", "party candidacy", "ext_day",
        "Representante no aparece en la relación de la casilla {casilla}",
        "{solicitante} informa que su representante no fue admitido en la casilla {casilla} "
        "porque no aparece en la relación entregada a la mesa directiva.",
        "Se verificó que el registro estaba en la relación de representantes generales y no en "
        "la de casilla; la Junta orientó a la presidencia de la mesa.",
        priority=HIGH,
        weight=3,
        hours=(7, 11),
    ),
    t(
        "PREP", "INCIDENCIA", "opl", "ext_day",
        "Publicación del PREP detenida",
        "El sitio de publicación del PREP de {lugar} dejó de actualizarse: el último corte "
        "tiene más de una hora y muestra pocas actas capturadas.",
        "La réplica de publicación se quedó sin espacio en disco; se liberó espacio y la "
        "publicación reanudó con el siguiente corte.",
        priority=CRITICAL,
        weight=4,
        hours=(19, 24),
    ),
    t(
        "PREP", "CONSULTA", "opl", "ext_day",
        "Seguimiento a la operación del PREP",
        "{solicitante} comparte los horarios de cortes y la liga de publicación del PREP para el "
        "seguimiento del Instituto durante la noche de la jornada.",
        "Se registraron los horarios y se dio seguimiento a la operación hasta el cierre de la "
        "publicación.",
        weight=3,
        hours=(17, 22),
    ),
    # --- after the election day: cómputos, reports, closing ---
    t(
        "COMPUTOS", "INCIDENCIA", "opl junta", "ext_after",
        "Error al generar el acta de cómputo de {lugar}",
        "Al cerrar el cómputo, el sistema no genera el acta de cómputo y marca diferencias con "
        "{cantidad} actas recontadas.",
        "Las actas recontadas no tenían capturado el resultado del recuento. Se capturaron y el "
        "acta de cómputo se generó.",
        priority=CRITICAL,
        weight=4,
    ),
    t(
        "COMPUTOS", "CONSULTA", "junta", "ext_after",
        "Consulta de resultados del cómputo para el informe de la Junta",
        "{solicitante} requiere un reporte de los resultados del cómputo de {lugar} para su "
        "informe al Consejo Local.",
        "Se generó el reporte desde la consulta pública del cómputo y se envió a la Junta.",
        priority=LOW,
    ),
    t(
        "SIF", "DATOS", "party candidacy", "ext_after",
        "Registro de gastos del día de la jornada en el SIF",
        "{solicitante} pregunta cómo registrar en el SIF los gastos de representantes del día "
        "de la jornada en {lugar}.",
        "Se explicó el registro de gastos de representación en casilla y el plazo para el "
        "informe de campaña.",
        weight=3,
    ),
    t(
        "SIJE", "DATOS", "junta", "ext_after",
        "Casillas pendientes de reporte de cierre en el SIJE",
        "El SIJE muestra {cantidad} casillas de {lugar} sin reporte de cierre aunque la Junta "
        "tiene la información de los CAE.",
        "Se habilitó la captura extemporánea del cierre y la sala SIJE completó el reporte.",
    ),
    t(
        "PREP", "DATOS", "opl", "ext_after",
        "Entrega de la base de datos final del PREP",
        "{solicitante} pregunta por qué medio entregar al Instituto la base de datos final y el "
        "informe de la operación del PREP.",
        "Se indicó el procedimiento de entrega mediante la Junta Local y se confirmó la "
        "recepción de los archivos.",
    ),
    # --- the 2021-2022 local processes, in their first months ---
    t(
        "VINCULACION_OPL", "ACCESO", "opl junta", "pel",
        "Alta de usuarios del SIVOPL para el PEL 2021-2022",
        "{solicitante} solicita {cantidad} cuentas del SIVOPL para dar seguimiento al Plan "
        "Integral y Calendario de Coordinación del proceso local.",
        "Se dieron de alta las cuentas y se confirmaron los permisos de consulta y carga.",
        weight=3,
    ),
    t(
        "VINCULACION_OPL", "INCIDENCIA", "opl", "pel ord",
        "Error al cargar un oficio en el SIVOPL",
        "Al adjuntar un oficio en PDF, el SIVOPL responde «tipo de archivo no permitido».",
        "El archivo tenía extensión en mayúsculas, que el sistema no reconocía. Se corrigió la "
        "validación y el oficio se cargó.",
    ),
    t(
        "PREP", "CONSULTA", "opl", "pel",
        "Implementación del PREP 2022: proceso técnico operativo",
        "{solicitante} envía el borrador del proceso técnico operativo del PREP para "
        "observaciones del Instituto.",
        "Se turnó el documento al área técnica y se remitieron las observaciones al OPL por "
        "medio de la Junta Local.",
        weight=3,
    ),
    t(
        "SIVEI", "CONSULTA", "opl junta", "pel",
        "Registro para votar por internet desde el extranjero",
        "{solicitante} pregunta las fechas de registro de la ciudadanía residente en el "
        "extranjero que votará por internet en la elección local de 2022.",
        "Se compartió el calendario de registro a la lista nominal de residentes en el "
        "extranjero y el material de difusión.",
        states="01 10 20 28",
    ),
    t(
        "APOYO_CIUDADANO", "CONSULTA", "opl", "pel",
        "Configuración de la App Apoyo Ciudadano para aspirantes",
        "{solicitante} pregunta los pasos para configurar la App Apoyo Ciudadano para las "
        "personas aspirantes a candidaturas independientes de la elección local.",
        "Se compartió la guía de configuración y el formato de solicitud de alta de aspirantes.",
    ),
    t(
        "SESIONES", "DATOS", "junta", "pel",
        "Registro de la sesión de instalación del Consejo Local",
        "{solicitante} requiere registrar la sesión de instalación del Consejo Local para el "
        "proceso electoral local 2021-2022 y el sistema no muestra el proceso.",
        "Se asoció el proceso electoral local al Consejo Local y la sesión quedó registrada.",
        weight=3,
    ),
    t(
        "ELEC", "CAPACITACION", "junta", "pel",
        "Capacitación en el Multisistema ELEC para el PEL 2021-2022",
        "{solicitante} solicita una sesión sobre los módulos de reclutamiento de SE y CAE del "
        "Multisistema ELEC.",
        "Se impartió la sesión a las vocalías de capacitación de la entidad.",
        priority=LOW,
    ),
    t(
        "SNR", "CONSULTA", "opl party", "pel",
        "Calendario de registro de precandidaturas en el SNR",
        "{solicitante} pregunta cuándo estará disponible el SNR para registrar precandidaturas "
        "a la gubernatura.",
        "Se informó la fecha de apertura del módulo de precandidaturas y se compartió el manual.",
        priority=LOW,
    ),
    t(
        "CONTEO_RAPIDO", "CONSULTA", "opl", "pel",
        "Información sobre el conteo rápido de la gubernatura",
        "{solicitante} solicita información sobre los criterios y la entrega de resultados del "
        "conteo rápido para la elección de gubernatura.",
        "Se canalizó a la unidad responsable y se compartió el calendario de trabajo del "
        "comité técnico asesor.",
        priority=LOW,
    ),
    # --- ordinary activity ---
    t(
        "SIF", "DATOS", "party", "ord",
        "Carga del informe trimestral en el SIF",
        "{solicitante} no puede enviar el informe trimestral: el SIF indica que hay pólizas sin "
        "evidencia, aunque ya se adjuntaron.",
        "Las pólizas estaban en un periodo distinto al del informe. Se reclasificaron y el "
        "informe se envió.",
        weight=3,
    ),
    t(
        "SESIONES", "ACCESO", "junta central", "ord",
        "Restablecer la contraseña del Sistema de Sesiones",
        "La persona responsable de {solicitante} bloqueó su cuenta del Sistema de Sesiones tras "
        "varios intentos fallidos.",
        "Se desbloqueó la cuenta y se envió una contraseña temporal al correo institucional.",
        priority=LOW,
        weight=4,
    ),
    t(
        "SESIONES", "INFRAESTRUCTURA", "junta", "ord",
        "Equipo sin acceso a RedINE",
        "Un equipo de {solicitante} no se conecta a RedINE después de la actualización del "
        "sistema operativo.",
        "Se reinstaló el certificado de red y el equipo volvió a conectarse.",
        weight=4,
    ),
    t(
        "PAUTAS", "CONSULTA", "party central", "ord",
        "Consulta de la pauta de radio y televisión",
        "{solicitante} no encuentra en el Sistema de Pautas la pauta del periodo ordinario de "
        "diciembre.",
        "La pauta se publica al aprobarse; se informó la fecha y se compartió la liga.",
        priority=LOW,
    ),
    t(
        "APOYO_CIUDADANO", "INCIDENCIA", "central", "ord",
        "Falla al sincronizar registros en la App Apoyo Ciudadano",
        "{solicitante} reporta que algunos dispositivos de prueba no sincronizan los registros "
        "captados con la versión más reciente de la aplicación.",
        "Se publicó una corrección de la aplicación y los registros sincronizaron.",
        priority=HIGH,
    ),
    t(
        "CONOCELES", "CONSULTA", "central", "ord",
        "Reporte de información publicada en Conóceles",
        "{solicitante} solicita un reporte de las candidaturas que publicaron su información en "
        "el proceso pasado.",
        "Se generó el reporte y se entregó en hoja de cálculo.",
        priority=LOW,
    ),
    t(
        "UBICA_CASILLA", "CONSULTA", "junta", "ord",
        "Baja de la publicación de Ubica tu Casilla del proceso pasado",
        "{solicitante} pregunta si la consulta pública de casillas de junio seguirá disponible, "
        "pues la ciudadanía de la entidad sigue consultándola.",
        "Se informó que la consulta se retira al concluir el proceso y se publica de nuevo en "
        "el siguiente.",
        priority=LOW,
    ),
    t(
        "ELEC", "ACCESO", "junta", "ord ext_after",
        "Baja de cuentas del personal eventual",
        "{solicitante} solicita dar de baja {cantidad} cuentas de SE y CAE cuyo contrato terminó.",
        "Se dieron de baja las cuentas y se confirmó a la Junta.",
        priority=LOW,
        weight=3,
    ),
    t(
        "OBSERVADORES", "CONSULTA", "junta", "ord",
        "Consulta sobre acreditaciones de observación del proceso pasado",
        "{solicitante} necesita la relación de personas acreditadas como observadoras en la "
        "entidad durante el proceso pasado, para un informe.",
        "Se generó la relación desde el portal de observadores y se envió a la Junta.",
        priority=LOW,
    ),
)
# fmt: on

# Operators' words at each step, by category where the words differ.
FIRST_REPLY = (
    "Buen día. Registramos su solicitud con el folio {folio} y ya la estamos revisando.",
    "Recibimos su reporte (folio {folio}). Le damos seguimiento y le informamos en cuanto "
    "tengamos novedades.",
    "Gracias por comunicarse a la Mesa TIC. Su folio es {folio}; ya trabajamos en su solicitud.",
)

ASK_FOR_DETAILS = {
    "INCIDENCIA": (
        "Para revisar el error, ¿nos puede enviar una captura de pantalla con el mensaje "
        "completo y la hora aproximada en que ocurrió?",
        "¿El error se presenta en todos los equipos o solo en uno? Indíquenos por favor el "
        "navegador que utiliza.",
    ),
    "ACCESO": (
        "Para continuar necesitamos el oficio de solicitud firmado por la vocalía o el área "
        "responsable, con nombre y correo de cada persona usuaria.",
    ),
    "DATOS": (
        "Envíenos por favor el acuerdo o documento que respalda la corrección para aplicarla.",
    ),
}
ASK_DEFAULT = (
    "¿Nos puede compartir más detalles o un número de contacto para revisarlo por teléfono?",
)

REPLY_RECEIVED = (
    "La persona solicitante envió la información por correo; se continúa la atención.",
    "Se recibió la captura de pantalla solicitada; se reanuda la revisión.",
    "Se habló por teléfono con la persona solicitante y confirmó los datos faltantes.",
)

INTERNAL_NOTES = (
    "Se escaló al área de desarrollo (nivel 2) con la evidencia del error.",
    "Revisé las bitácoras del servidor: hubo tiempos de respuesta altos en ese horario.",
    "Se consultó con la dirección ejecutiva responsable del sistema; confirman el procedimiento.",
    "Caso similar a otros de la semana; conviene documentarlo en la base de conocimiento.",
    "Se verificó con la Junta Local antes de aplicar el cambio.",
)

STILL_WORKING = (
    "Seguimos trabajando en su solicitud; le informaremos en cuanto esté resuelta.",
    "El área técnica está revisando el caso. Le avisaremos por este medio.",
)

REOPEN_NOTES = (
    "La persona solicitante llamó para informar que el problema volvió a presentarse.",
    "La solución no funcionó en el segundo equipo de la Junta; se reabre.",
)
REOPEN_FIX = (
    "Aplicamos un ajuste adicional y verificamos con usted que ya funciona. Gracias por su "
    "paciencia.",
)

CLOSE_NOTES = (
    "Cierre con confirmación telefónica de la persona solicitante.",
    "La persona solicitante confirmó por correo que quedó resuelto.",
)

CANCEL_NOTES = (
    "Registro duplicado: la misma solicitud llegó por correo y por teléfono; se atiende en el "
    "otro folio.",
    "La persona solicitante informó que el problema se resolvió antes de la atención.",
    "Solicitud registrada por error; no corresponde a la Mesa TIC y se canalizó al área "
    "correspondiente.",
)
