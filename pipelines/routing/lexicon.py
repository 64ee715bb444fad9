"""Word tables for the guards, in English, German, French and Spanish, written for folded text.

Folded means lower case without accents ("öffne" -> "offne", "écran" -> "ecran", "ß" -> "ss"),
so every entry here is plain ASCII. Entries are regex fragments joined into alternations;
none has a nested unbounded quantifier, so matching stays linear in the text length.
Adding a word: put it in the right table; `tests/unit/test_router_guards.py` shows the shapes.
"""

# --- verbs that operate a desktop, by what they need to be an action -------------------------
# Pointer verbs are actions on their own ("click on Save", "scroll down").
POINTER_VERBS = (
    r"click(?!-| ?bait| ?through| ?rate)", r"double[- ]?click", r"right[- ]?click", r"left[- ]?click",
    # "scroll" is also a noun ("scroll of truth"): only with a direction, a target, or alone.
    r"scroll(?= (?:up|down|left|right|to|through|back|a bit|a little|further|more|until|all|the|this|that|"
    r"it|past|over|slowly|quickly)\b|\s*$)", r"clcik", r"clik", r"clikc", r"cilck", r"clck", r"klick(?:e|en|st)?",
    r"doppelklick(?:e|en)?", r"rechtsklick(?:e|en)?",
    r"scrolle?n?(?= (?:\S+ )?(?:runter|hoch|rauf|nach|bis|zu|zum|zur|ganz|weiter|im|in)\b|\s*$)", r"klick mal",
    r"druck(?:e|en)? (?:mal )?auf(?! (?:die tube|die tranendruse|die stimmung|den putz)\b)",
    r"tipp(?:e|en)? (?:mal )?auf",
    r"mach(?:e)?(?= (?:\S+ ){0,4}(?:leiser|lauter)\b)",
    r"cliquer?", r"cliquez", r"double-cliquer?", r"double-cliquez", r"fais defiler", r"faites defiler",
    r"faire defiler", r"defile", r"scrolle",
    r"appuie(?:r|z)? sur(?! (?:le champignon|l'accelerateur|la pedale|le frein)\b)", r"clic(?: droit| gauche)?",
    r"double clic",
    r"haz (?:doble )?cli(?:c|ck)", r"hace(?:r)? (?:doble )?cli(?:c|ck)", r"dale (?:un )?cli(?:c|ck)",
    r"da(?:r)? (?:un )?cli(?:c|ck)", r"haga (?:doble )?cli(?:c|ck)", r"clica(?:r)?", r"cliquea(?:r)?",
    r"clickea(?:r)?", r"desplazate", r"desplazar(?:te)?", r"desplaza", r"scrollea(?:r)?",
    r"dale a(?! (?:la cabeza|la olla|la lengua)\b)", r"darle al?(?= (?:\S+ )?(?:boton|tecla|enlace|icono)\b)",
    r"dale al(?! (?:coco|tarro|mate|tema|mambo)\b)",
    r"baja(?:r)? hasta", r"sube hasta", r"zoom (?:in|out)",
    r"descends(?= (?:un peu|tout|en bas|jusqu))", r"remonte(?= (?:un peu|tout|en haut|jusqu))",
    r"va (?:tout )?en (?:bas|haut)", r"zoome[rz]?(?= (?:sur|dans|avant|arriere)\b)",
    r"zoome?(?= (?:\S+ ){0,2}(?:rein|raus|hinein|heraus)\b)", r"haz zoom",
    r"amplia(?:r)?(?= (?:la|el) (?:pagina|zoom)\b)",
)
# Key verbs need a key or a control ("press Enter", "hit the Save button").
KEY_VERBS = (
    r"press", r"hit", r"tap", r"push", r"smash",
    r"druck(?:e|en)?", r"betatige(?:n)?", r"tipp(?:e|en)? auf",
    r"appuie", r"appuyer?", r"appuyez", r"presse", r"enfonce",
    r"pulsa(?:r)?", r"pulse", r"presiona(?:r)?", r"presione", r"aprieta", r"apretar", r"oprime", r"oprimir",
    r"toca(?:r)?",
)
# Text verbs need a field, a quoted text or a target ("type 'hello' into the search box").
TEXT_VERBS = (
    r"type", r"enter", r"input", r"write", r"paste",
    r"tipp(?:e|en)?", r"gib(?=(?: \S+){1,6} ein\b)", r"geben(?=(?: \S+){1,6} ein\b)", r"eingeben", r"schreib(?:e|en)?",
    r"trag(?:e)?(?=(?: \S+){1,6} ein\b)", r"eintragen",
    r"einfugen", r"fug(?:e)?",
    r"tape[rz]?", r"saisis", r"saisir", r"saisissez", r"ecris", r"ecrire", r"ecrivez", r"entre[rz]?",
    r"colle[rz]?",
    r"escribe", r"escribir", r"escriba", r"teclea(?:r)?", r"introduce", r"introducir", r"ingresa(?:r)?",
    r"pega(?:r)?",
)
# Window and app verbs need a UI object, an app, a key or a web address ("open Firefox").
UI_VERBS = (
    # "launch day checklist", "start date": nouns, not verbs.
    r"open(?![- ](?:source|air|house|mic|day|bar|season|world|ended|minded|plan|office|question|letter|call|"
    r"enrollment|water|sea|secret|relationship|book|heart|arms|mind)\b)", r"close", r"quit", r"exit",
    r"launch(?! (?:day|date|party|plan|checklist|event|strategy|post|video))",
    r"start(?! (?:date|time|day|page ideas))", r"run", r"kill",
    r"minimi[sz]e", r"maximi[sz]e", r"restore", r"resize", r"switch(?: over)? to", r"focus", r"select",
    r"highlight", r"check (?:the |that |this )?(?:box|checkbox)", r"uncheck", r"tick", r"untick", r"toggle", r"enable",
    r"disable",
    r"turn (?:on|off|up|down)", r"mute", r"unmute", r"copy", r"save", r"refresh", r"reload",
    r"go (?:to|back|forward)", r"navigate(?: to)?", r"visit", r"log (?:me )?(?:in|into|out)",
    r"sign (?:me )?(?:in|into|out)", r"submit", r"accept", r"dismiss", r"confirm", r"cancel", r"delete",
    r"rename", r"reopen", r"play", r"pause", r"drag", r"move", r"mark", r"bring up", r"pull up",
    r"shut", r"hide", r"empty", r"expand", r"collapse", r"fill(?: in| out)?", r"skip", r"put", r"snap",
    r"switch (?:on|off)", r"clear", r"unsubscribe", r"subscribe", r"bring", r"take me to", r"get rid of",
    r"(?:aus|ein|an|ab)schalten", r"(?:aus|an|zu|auf)machen",
    r"stell(?:e)?(?=(?: \S+){1,4} (?:leiser|lauter|ein|aus|an|um|auf (?:stumm|lautlos))\b)",
    r"dreh(?:e)?(?=(?: \S+){1,4} (?:leiser|lauter|auf|ab)\b)",
    r"entra (?:en|a)", r"leer(?= (?:den|die|das|meinen|meine)\b)",
    r"turn(?= (?:\S+ ){1,3}(?:up|down|on|off)\b)", r"bring(?:e)?", r"coupe[rz]?", r"reactive[rz]?",
    r"silencia(?:r)?", r"bajale", r"subele", r"cierras", r"abres", r"pones", r"quitas", r"bajas", r"subes",
    r"fulle?(?=(?: \S+){1,9} aus\b)", r"ausfullen", r"pausiere?n?", r"wechsel",
    r"remplis", r"remplir", r"remplissez", r"marque[rz]?", r"accepte[rz]?", r"deconnecte[rz]?", r"baisse[rz]?",
    r"monte[rz]?", r"rellena(?:r)?", r"llena(?:r)?", r"completa(?:r)?", r"acepta(?:r)?", r"baja(?:r)?", r"sube",
    r"subir",
    r"(?:o|oe)ffne(?:n)?", r"mach(?:e)?(?=(?: \S+){1,5} (?:auf|zu)\b)",
    r"mach(?:e)?(?= (?:den |die )?(?:ton|lautstarke|sound) (?:\S+ ){0,3}(?:aus|an)\b)",
    r"schliess(?:e|en)?", r"starte(?:n)?",
    r"beende(?:n)?",
    r"minimiere?n?", r"maximiere?n?", r"wechsle?(?:n)?", r"geh(?:e|en)?", r"navigiere?n?", r"markiere?n?",
    r"wahle?n?", r"kopiere?n?", r"akzeptiere?n?",
    r"setz(?:e)?(?= (?:\S+ ){0,2}(?:hakchen|haken|kreuzchen) (?:bei|in|im|vor|an)\b)", r"speicher(?:e|n)?",
    r"aktualisiere?n?", r"lade?n?(?=(?: \S+){0,4} neu\b)",
    r"zieh(?:e|en)?",
    r"bewege?n?", r"schieb(?:e|en)?", r"aktiviere?n?", r"deaktiviere?n?", r"schalte?n?", r"melde?n?",
    r"logg(?:e)?", r"bestatige?n?", r"schick(?:e|en)?", r"sende(?:n)?", r"losche?n?", r"benenne?n?",
    r"spiel(?:e|en)?", r"ruf(?:e)?(?=(?: \S+){1,4} auf\b)", r"verstecke?n?", r"leere(?:n)?",
    r"ouvre[rz]?", r"ouvrir", r"ferme[rz]?", r"lance[rz]?", r"demarre[rz]?", r"quitte[rz]?", r"reduis",
    r"reduire", r"agrandis", r"agrandir", r"maximise[rz]?", r"passe[rz]? (?:a|sur)", r"va(?:s)? (?:sur|dans)",
    r"allez (?:sur|dans)", r"aller (?:sur|dans)", r"selectionne[rz]?", r"coche[rz]?", r"decoche[rz]?",
    r"copie[rz]?", r"enregistre[rz]?", r"sauvegarde[rz]?", r"actualise[rz]?", r"rafraichi[rs]?",
    r"recharge[rz]?", r"glisse[rz]?", r"deplace[rz]?", r"active[rz]?", r"desactive[rz]?", r"connecte[rz]?",
    r"valide[rz]?", r"envoie", r"envoyer", r"supprime[rz]?", r"renomme[rz]?", r"mets", r"mettre",
    r"vide[rz]?",
    r"abre(?:me|lo|la)?", r"abrir(?:lo|la)?", r"abra", r"cierra(?:me|lo|la)?", r"cerrar(?:lo|la)?", r"cierre",
    r"inicia(?:r)?", r"ejecuta(?:r)?", r"lanza(?:r)?", r"sal de", r"salir de", r"minimiza(?:r)?",
    r"maximiza(?:r)?", r"cambia(?:r)? a", r"ve a", r"ir a", r"vete a", r"navega(?:r)?", r"selecciona(?:r)?",
    r"marca(?:r)?", r"desmarca(?:r)?", r"copia(?:r)?", r"guarda(?:r)?", r"actualiza(?:r)?", r"recarga(?:r)?",
    r"arrastra(?:r)?", r"mueve", r"mover", r"activa(?:r)?", r"desactiva(?:r)?", r"envia(?:r)?",
    r"borra(?:r)?", r"elimina(?:r)?", r"renombra(?:r)?", r"pon", r"poner", r"reproduce", r"reproducir",
    r"pausa(?:r)?", r"vacia(?:r)?",
)

# After "would you mind" the verb is a gerund ("would you mind closing Spotify?"); anywhere else a
# gerund is a subject ("Opening too many tabs slows my PC"), so these are read only after "mind".
GERUND_VERBS = {
    "pointer": (r"clicking", r"double[- ]?clicking", r"right[- ]?clicking", r"scrolling"),
    "key": (r"pressing", r"hitting", r"tapping", r"pushing"),
    "text": (r"typing", r"entering", r"writing", r"pasting"),
    "ui": (r"opening", r"closing", r"quitting", r"launching", r"starting", r"minimi[sz]ing", r"maximi[sz]ing",
           r"switching to", r"selecting", r"filling(?: in| out)?", r"muting", r"turning (?:on|off|up|down)",
           r"refreshing", r"reloading", r"saving", r"skipping", r"pausing", r"playing", r"moving", r"dragging"),
}

# --- what an action works on ---------------------------------------------------------------------
UI_OBJECTS = (
    r"button", r"btn", r"icon", r"link", r"tabs?", r"window", r"windows", r"menu", r"dropdown", r"drop-down",
    r"checkbox", r"check box", r"radio button", r"field", r"textbox", r"text box", r"input box", r"search box",
    r"form", r"dialog", r"popup", r"pop-up", r"modal", r"notification", r"toolbar", r"taskbar", r"dock",
    r"sidebar", r"panel", r"scrollbar", r"search bar", r"address bar", r"url bar", r"web ?page", r"page",
    r"website", r"site", r"url", r"browser", r"terminal", r"console", r"app", r"application", r"program",
    r"folder", r"directory", r"file", r"document", r"spreadsheet", r"desktop", r"cursor", r"mouse",
    r"pointer", r"settings", r"preferences", r"control panel", r"system tray", r"start menu", r"volume",
    r"sound", r"wifi", r"wi-fi", r"bluetooth", r"tray", r"song", r"playlist", r"video", r"email", r"e-mail",
    r"inbox", r"downloads", r"trash", r"recycle bin", r"editor", r"slider", r"toggle", r"option", r"entry",
    # Not "text", "message", "line", "option" or "mode": those are mostly the chat's own words
    # ("copy this text and make it polite", "turn on the charm: write a flirty text").
    r"cell", r"column", r"slide", r"hakchen", r"kreuzchen", r"cookie-?banner", r"cookie banner",
    r"(?:dark|light|airplane|flight|focus|sleep) mode",
    r"mails?", r"pdf", r"documents", r"photos", r"wlan", r"internet", r"vpn", r"mic(?:rophone)?", r"camera",
    r"\w+ bar", r"le son", r"banner", r"cookie banner", r"picker", r"bandeau", r"kalender", r"calendrier",
    r"calendario",
    r"knopf", r"schaltflache", r"taste", r"symbol", r"reiter", r"fenster", r"menu", r"eingabefeld",
    r"textfeld", r"suchfeld", r"feld", r"formular", r"kastchen", r"hakchen", r"leiste", r"taskleiste",
    r"suchleiste", r"adressleiste", r"seite", r"webseite", r"programm", r"anwendung", r"ordner", r"datei",
    r"dokument", r"maus", r"mauszeiger", r"einstellungen", r"systemsteuerung", r"lautstarke",
    r"papierkorb", r"zelle", r"lied", r"startmenu", r"folie", r"(?:flug|dunkel|nacht)modus",
    r"mikrofon", r"kamera", r"dokumente",
    r"bouton", r"icone", r"lien", r"onglet", r"fenetre", r"champ", r"case a cocher", r"formulaire",
    r"boite de dialogue", r"barre", r"barre des taches", r"navigateur", r"application", r"appli",
    r"programme", r"logiciel", r"dossier", r"fichier", r"bureau", r"souris", r"curseur", r"parametres",
    r"reglages", r"corbeille", r"chanson", r"courriel", r"cellule", r"diapositive", r"mode (?:sombre|avion)",
    r"menu demarrer", r"telechargements", r"micro",
    r"boton", r"icono", r"enlace", r"vinculo", r"pestana", r"ventana", r"campo", r"casilla", r"formulario",
    r"cuadro", r"barra", r"pagina", r"sitio", r"navegador", r"consola", r"aplicacion", r"programa",
    r"carpeta", r"archivo", r"documento", r"escritorio", r"raton", r"configuracion", r"ajustes",
    r"volumen", r"papelera", r"cancion", r"correo", r"celda", r"buscador", r"modo (?:oscuro|avion)",
    r"diapositiva", r"menu de inicio", r"descargas", r"documentos", r"camara", r"microfono",
)
APPS = (
    r"firefox", r"chrome", r"chromium", r"brave", r"edge", r"safari", r"opera", r"vivaldi", r"thunderbird",
    r"outlook", r"gmail", r"ms word", r"microsoft word", r"excel", r"powerpoint", r"libreoffice", r"notepad(?:\+\+)?",
    r"gedit",
    r"vs ?code", r"visual studio(?: code)?", r"sublime(?: text)?", r"pycharm", r"intellij", r"konsole",
    r"gnome-terminal", r"iterm2?", r"cmd", r"powershell", r"spotify", r"vlc", r"steam", r"discord", r"slack",
    r"teams", r"zoom", r"skype", r"telegram", r"signal", r"whatsapp", r"obs", r"gimp", r"inkscape", r"blender",
    r"krita", r"audacity", r"nautilus", r"dolphin", r"file[- ]?manager", r"explorer", r"finder", r"calculator",
    r"calendar", r"task[- ]?manager", r"system[- ]?monitor", r"activity monitor", r"photoshop", r"figma", r"notion",
    r"obsidian", r"keepass(?:xc)?", r"bitwarden", r"postman", r"virtualbox", r"youtube", r"netflix", r"twitch",
    r"reddit", r"github", r"google", r"wikipedia", r"amazon", r"jira", r"trello", r"evince", r"okular",
    r"rechner", r"taschenrechner", r"explorateur", r"calculatrice", r"calculadora", r"explorador",
    r"gestor de tareas", r"administrador de tareas", r"gestionnaire des taches", r"aufgabenverwaltung",
)
KEYS = (
    r"enter", r"return", r"escape", r"esc", r"tab", r"space(?:bar)?", r"backspace", r"delete", r"del",
    r"home", r"end", r"page ?up", r"page ?down", r"pg ?up", r"pg ?dn", r"insert", r"arrow(?: key)?s?",
    r"(?:up|down|left|right) arrow", r"ctrl", r"control", r"alt", r"altgr", r"option", r"shift", r"cmd",
    r"command", r"super", r"win(?:dows)? key", r"meta", r"fn", r"f(?:[1-9]|1[0-2])", r"print ?screen",
    r"prt ?sc", r"key", r"keys", r"shortcut", r"hotkey", r"keyboard shortcut",
    r"eingabe(?:taste)?", r"strg", r"umschalt(?:taste)?", r"entf", r"rucktaste", r"leertaste", r"pfeiltaste",
    r"tastenkombination", r"entree", r"echap", r"maj", r"suppr", r"espace", r"touche", r"fleche",
    r"raccourci", r"intro", r"mayus", r"suprimir", r"espacio", r"tecla", r"flecha", r"atajo",
)
WEB_ADDRESS = r"[a-z0-9-]+\.(?:com|org|net|de|fr|es|io|dev|ai|co|uk|edu|gov)\b"

# --- what turns a request into something else ----------------------------------------------------
# Words that start a polite request; they may precede the action verb.
REQUEST_OPENERS = (
    r"please", r"pls", r"plz", r"kindly", r"now", r"then", r"next", r"first", r"finally", r"also", r"and",
    r"ok(?:ay)?", r"alright", r"right", r"hey", r"yo", r"so", r"just", r"quickly", r"go ahead and", r"can you",
    r"could you", r"would you please", r"would you kindly", r"will you", r"can u", r"could u", r"would you mind",
    r"cn (?:you|u)", r"can yu", r"coud (?:you|u)", r"culd (?:you|u)",
    r"mind",
    r"i want you to", r"i need you to", r"i'd like you to", r"i would like you to", r"let's", r"lets",
    r"(?:could you |can you )?do me a favou?r and", r"kannst du mir einen gefallen tun und",
    r"tu peux me rendre un service et", r"(?:me )?haces un favor y",
    r"for me", r"computer", r"assistant", r"again", r"once more", r"yes", r"yeah", r"yep", r"good", r"great",
    r"bitte", r"jetzt", r"dann", r"danach", r"mal", r"kurz", r"einfach", r"nochmal", r"und", r"ok",
    r"kannst du", r"konntest du", r"wurdest du", r"konnen sie", r"konnten sie", r"wurden sie",
    r"ich mochte,? dass du", r"du", r"also", r"gut", r"okay", r"ja",
    r"s'il te plait", r"s'il vous plait", r"stp", r"svp", r"maintenant", r"ensuite", r"puis", r"et",
    r"peux-tu", r"peux tu", r"pourrais-tu", r"pourrais tu", r"tu peux", r"pouvez-vous", r"pouvez vous",
    r"pourriez-vous", r"vous pouvez", r"est-ce que tu peux", r"est-ce que vous pouvez", r"merci de",
    r"vas-y et", r"juste", r"allez", r"alors", r"d'accord", r"oui", r"bon",
    r"por favor", r"porfa", r"ahora", r"luego", r"despues", r"y", r"puedes", r"podrias", r"me puedes",
    r"puede", r"podria", r"quiero que", r"necesito que", r"vamos", r"solo", r"vale", r"pues", r"si", r"bueno",
)
# How-to frames: the user asks how something is done, not to do it.
HOWTO = (
    r"how (?:do|can|could|should|would|does|did|is|are|to|would one|does one)\b", r"how'?s it done",
    r"what(?:'s| is) the (?:shortcut|key|hotkey|command|way|trick|fastest way|best way|easiest way)",
    r"which (?:key|button|shortcut|hotkey|menu|option|command)", r"where (?:do|can|is|are) (?:i|the)",
    r"is there (?:a|an|any) (?:way|shortcut|hotkey|option|setting)", r"teach me", r"show me how",
    r"explain how", r"tell me how", r"walk me through", r"steps to", r"step by step", r"instructions",
    r"tutorial", r"guide", r"guia",
    # "... - what does this do": asks about the steps, even without a question mark.
    r"what (?:does|do|will|would) (?:this|that|these|those|it|they) (?:do|mean|change)",
    r"was (?:macht|bedeutet|bewirkt|bringt) (?:das|dies|es)(?! \w)",
    r"(?:que|qu'est-ce que) (?:fait|font|veut dire) (?:ca|cela|ceci)",
    r"que (?:hace|hacen|significa|significan) (?:esto|eso|estos|esos)", r"tutoriel", r"what do i (?:press|click|type)",
    r"step \d+", r"schritt \d+",
    r"etape \d+", r"paso \d+", r"what should i (?:press|click|type)",
    r"wie (?:kann|konnte|mache|macht|mach|geht|bekomme|kriege|schaffe|stelle|finde|soll|muss|funktioniert)",
    r"wie \w+ (?:ich|man)\b", r"welche (?:taste|tastenkombination|schaltflache)", r"welcher (?:shortcut|knopf)",
    r"gibt es (?:eine|einen) (?:moglichkeit|tastenkombination|shortcut|weg)", r"zeig mir,? wie",
    r"erklar(?:e)? mir,? wie", r"anleitung", r"schritt fur schritt", r"was muss ich (?:drucken|klicken)",
    r"comment (?:je|j'|on|puis|peut|peux|faire|fait|est-ce|\w+er\b|\w+ir\b|\w+-t-on)",
    r"quel(?:le)? (?:est la |est le )?(?:raccourci|touche|bouton|commande)", r"t-il (?:un|une) (?:moyen|raccourci)",
    r"explique[sz]?(?:-moi)? comment", r"montre[sz]?(?:-moi)? comment", r"dis(?:-moi)? comment", r"tuto",
    r"etape par etape", r"sur quoi (?:dois|faut)",
    r"como (?:puedo|podria|hago|hacer|se\b|abro|cierro|cambio|quito|pongo|activo|desactivo|consigo)",
    r"que (?:atajo|tecla|boton)", r"cual es el (?:atajo|boton|comando)",
    r"hay (?:alguna forma|algun atajo|un atajo|una forma)",
    r"explicame como", r"ensename", r"muestrame como", r"dime como", r"paso a paso", r"tutorial",
)
# Hypotheticals, advice and permission: "what happens if I press ...", "should I click ...".
HYPOTHETICAL = (
    r"what (?:happens|would happen|will happen|happened) (?:if|when)", r"what if", r"if i\b", r"if you\b",
    r"when i\b", r"suppose", r"supposing", r"imagine", r"hypothetically", r"in theory", r"should i",
    r"shall i", r"can i\b", r"could i\b", r"may i\b", r"is it (?:safe|ok|okay|bad|dangerous|possible|wise|normal)",
    r"would (?:clicking|pressing|closing|opening|typing|hitting)", r"in case", r"let's say", r"what would you",
    r"would it", r"would you (?:ever|really|actually)", r"is it better to", r"do i need to", r"do i have to",
    r"pretend", r"imagination", r"just kidding", r"(?<!\w)jk(?!\w)", r"nur spass", r"je plaisante",
    r"es broma", r"(?<=era )broma", r"in your (?:head|mind)", r"role-?play", r"stell dir vor", r"tu so,? als",
    r"fais semblant", r"finge", r"haz como si", r"if you were",
    r"was passiert,? wenn", r"was ware,? wenn", r"wenn ich", r"falls ich", r"angenommen", r"sollte ich",
    r"soll ich", r"darf ich", r"kann ich", r"konnte ich", r"ist es (?:sicher|ok|okay|gefahrlich|schlimm)",
    r"muss ich",
    r"que se passe-t-il si", r"qu'est-ce qui se passe si", r"qu'arrive-t-il si", r"si je\b", r"si j'",
    r"supposons", r"imaginons", r"dois-je", r"devrais-je", r"est-ce que je dois", r"puis-je",
    r"est-ce (?:grave|dangereux|sur|risque)", r"est-ce que je peux", r"je devrais", r"faut-il",
    r"que pasa(?:ria)? si", r"si (?:hago|pulso|presiono|cierro|abro|le doy|escribo|borro)",
    r"supongamos", r"imagina que", r"deberia", r"puedo\b", r"es seguro", r"es peligroso", r"se puede",
    r"tengo que",
    # "... if you want / agree" as in English "if you": advice to whoever reads it, not a command.
    r"wenn du\b", r"falls du\b", r"si tu\b", r"si vous\b", r"s'il vous convient",
    r"si (?:quieres|quiere|queres|estas|esta de acuerdo|prefieres|necesitas|deseas|lo deseas|te parece)\b",
)
# Reported speech: somebody else's instruction, quoted back.
REPORTED = (
    r"(?:told|asked|wants|wanted|said|says|suggested|recommended|instructed|tells) (?:me |us |you )?to",
    r"(?:guide|tutorial|article|docs|documentation|instructions|manual|video|support|error|popup|message|email|"
    r"site|page|screen|book|course|teacher|boss|colleague|friend|it guy|admin) (?:says|said|tells|told|asks)",
    r"according to", r"supposed to", r"someone", r"somebody",
    r"(?:says|said|sagt|sagte|steht|meint|meinte|dit|disait|dice|decia|pone|writes|wrote|schreibt|ecrit) ?:",
    r"(?:im|in the|in der|dans le|dans la) (?:handbuch|anleitung|manual|manuel|guide|tutorial|tuto|doc|docs|"
    r"documentation|dokumentation|instructions|notice)",
    r"(?:manual|tutorial|instrucciones|guia) (?:dice|pone)",
    r"hat (?:mir )?gesagt", r"haben (?:mir )?gesagt", r"sagt(?:e)?,? (?:ich|dass)", r"meinte,? ich",
    r"laut (?:der|dem|den|anleitung|tutorial)",
    r"steht,? (?:ich|dass)", r"jemand",
    r"m'a dit", r"on m'a dit", r"m'a demande", r"me dit de", r"dit de", r"selon", r"quelqu'un", r"il paraît",
    r"me dijo", r"me dijeron", r"me dice", r"me pidio", r"dice que", r"segun", r"alguien",
    # Reporting after the words: "..., the song said", "... is what the spam says", "..., decía la canción".
    r"(?:said|says|sang|sings|wrote)(?=\s*(?:[.!?,;]|$))",
    r"(?:is|was) what (?:the|my|a|an|this|that|some) \w+(?: \w+)? (?:says|said|tells|told|wrote|writes|sings|sang)",
    r"(?<=, )(?:sagt|sagte|sang|singt|schrieb|schreibt|meinte) (?:der|die|das|mein|meine|ein|eine)",
    r"(?<=, )(?:dit|disait|chantait|chante|ecrivait) (?:la|le|l'|ma|mon|une|un)",
    r"(?<=, )(?:dice|decia|dijo|cantaba|canta|escribia) (?:la|el|mi|una|un)",
    r"(?:steps?|instructions?|advice|tips?|answer|solution|fix)(?= (?:from|in|on) (?:the |a |some |this )?(?:forum|"
    r"reddit|internet|web|manual|guide|video|youtube|stack ?overflow|article|blog|chatgpt))",
    r"(?:from|in|on) (?:the|a|some) (?:forum|reddit thread|blog post|youtube video)", r"(?:im|laut|aus dem) forum",
    r"(?:that'?s|this is|c'est|das ist|eso es) (?:the |tout |le |der |die |das |todo el )?(?:whole|entire|full|ganze|"
    r"ganzer|tweet entier|post entier) ?(?:tweet|post|message|text|email|mail|ad|sms|nachricht|texte|mensaje)?",
    r"click here to (?:read|learn|find out|claim|win|get|unsubscribe|subscribe|see more|continue|download|confirm)",
    r"cliquez ici pour", r"klicken sie hier", r"haga clic aqui para", r"pulse aqui para",
    r"d'apres", r"(?:dans|sur) (?:le|un) forum", r"(?<=en el )foro", r"(?<=del )foro",
    # Reported after a dash, or "that's what X says": "cliquez ici — c'est ce que dit la pub".
    r"c'est ce (?:que|qu'il y a) (?:dit|disait|dis|raconte|ecrit|marque)",
    r"(?:es|era) lo que (?:dice|decia|pone|ponia)",
    r"(?:that'?s|this is) what (?:the|my|a|an|this|that|some) \w+",
    r"(?:(?<=das )|so )(?:steht|stand|sagt|sagte) (?:es )?"
    r"(?:da|in|im|auf|die|der|das|mein|meine)\b",
    r"(?<=[-—–] )(?:sagt|sagte|dit|disait|dice|decia|says|said)\b",
)
# First-person past: "I clicked ...", "ich habe ... gedrückt", "j'ai cliqué", "hice clic".
PAST = (
    r"\bi (?:have |had |'ve |just |already |accidentally |then |also |even |mistakenly |finally )*"
    r"(?:clicked|pressed|typed|hit|tapped|opened|closed|scrolled|entered|selected|dragged|ran|launched|saved|"
    r"deleted|filled|submitted|restarted|killed|moved|copied|pasted|tried|did|was|went|got)\b",
    r"\bi'?ve\b", r"\bwe (?:clicked|pressed|opened|closed|tried)\b",
    r"\b(?:yesterday|earlier|last (?:time|night|week))\b",
    r"\b(?:after|when|before) (?:i |clicking|pressing|opening|closing|typing)",
    r"\b(?:ich|wir) (?:hab|habe|haben|hatte|hatten)\b", r"\bhab(?:e)? (?:\w+ ){0,4}ge\w+(?:t|en)\b",
    r"\bich (?:klickte|druckte|offnete|schloss|tippte)\b", r"\b(?:als|nachdem) ich\b", r"\bgestern\b",
    r"\bj'?ai\b", r"\b(?:nous avons|on a (?:clique|appuye|ouvert|ferme|tape|essaye)|quand j|apres avoir)\b",
    r"\bhier (?:soir|matin|apres-midi)\b",
    r"\b(?:hice|di|pulse|presione|abri|cerre|escribi|toque|intente|borre|guarde)\b",
    r"\bhe (?:\w+ )?\w+(?:ado|ido|to|cho)\b",
    r"\bcuando (?:hice|di|pulse|abri|cerre)\b", r"\bdespues de\b", r"\bayer\b",
)
# Problem reports: the user describes what went wrong.
PROBLEM = (
    r"nothing happen(?:s|ed)?", r"doesn'?t (?:work|respond|open|close|do anything)", r"didn'?t (?:work|do|open|close)",
    r"not working", r"won'?t (?:open|close|work|respond|let)", r"is stuck", r"froze",
    r"(?:is|it's|got|are|seems) frozen",
    r"keeps (?:crashing|freezing|closing|opening|popping|showing|asking)",
    r"funktioniert nicht", r"geht nicht", r"passiert nichts", r"reagiert nicht", r"hangt",
    r"ne (?:marche|fonctionne|repond|s'ouvre|se ferme) pas", r"rien ne se passe", r"il ne se passe rien",
    r"plante", r"bloque",
    r"no funciona", r"no pasa nada", r"no paso nada", r"no responde", r"no se abre", r"no se cierra",
    r"se cuelga", r"se congela",
)
# Code requests that mention clicking: automation code is code, not an action.
CODE_REQUEST = (
    r"script",
    r"(?<!vs )(?<!vs)(?<!visual studio )(?<!zip )(?<!pin )(?<!qr )(?<!area )(?<!promo )(?<!postal )code(?! postal)",
    r"function", r"(?:write|create|code|build|make) (?:me )?(?:a |an )?program(?:me)?",
    r"program(?:me)? (?:that|which|to|qui)", r"macro", r"bot\b", r"test(?:s|case)?\b", r"snippet",
    r"selenium", r"playwright", r"puppeteer", r"pyautogui", r"autohotkey", r"\bahk\b", r"xdotool",
    r"applescript", r"cypress", r"robot framework", r"sikuli", r"pywinauto", r"pynput", r"javascript",
    r"python", r"bash", r"\bjs\b", r"jquery", r"xpath", r"css selector", r"queryselector", r"\.click\(",
    r"onclick", r"event listener", r"eventlistener", r"userscript", r"bookmarklet", r"extension", r"regex",
    r"\bapi\b", r"html", r"react", r"vue", r"angular", r"kotlin", r"swift", r"java\b", r"c#", r"typescript",
    r"funktion", r"skript", r"fonction", r"funcion", r"codigo(?! postal)", r"programa que",
)
# Writing requests: "write a guide for my grandma: open Chrome, click ..." is text to write, not an action.
COMPOSE = (
    r"^(?:please |pls |can you |could you |bitte |kannst du |peux-tu |tu peux |puedes |por favor )?"
    r"(?:write|draft|compose|schreib\w*|verfass\w*|ecri\w*|redige\w*|escrib\w*|redacta\w*)\s"
    r"(?:me |mir |moi |-moi |me )?(?:a|an|some|the|ein\w*|un|une|des|una?|unos|unas)\s",
    # A message to someone is text to write first: "send an email to my boss saying ...".
    r"\b(?:send|schick\w*|sende\w*|envoie\w*|envia\w*|manda\w*) (?:an?|eine?|ne|un|une|una?) (?:e-?mail|mail|message|"
    r"text|sms|letter|nachricht|brief|correo|mensaje|carta|lettre|courriel)\b",
)
# Work on a text the user gives: "translate to German: Click Save to continue", "summarize this email: ...".
# The text's imperatives belong to the text.
TEXT_TASK = (
    r"^(?:(?:please|pls|can you|could you|bitte|kannst du|konntest du|peux-tu|tu peux|pourrais-tu|puedes|podrias|"
    r"por favor|ok|hey|hi|hallo|salut|hola)[ ,]+){0,2}"
    r"(?:translate|proofread|summari[sz]e|reply to|respond to|rewrite|rephrase|paraphrase|correct|fix the (?:grammar|"
    r"spelling|typos)|check the (?:grammar|spelling)|explain|tl;?dr|shorten|simplify|"
    r"ubersetz\w*|korrigier\w*|fass\w*|erklar\w*|antworte\w*|vereinfach\w*|kurz\w*|"
    r"tradui[st]|traduire|traduisez|resume[rz]?|reponds?|corrige[rz]?|explique[rz]?|reformule[rz]?|simplifie[rz]?|"
    r"traduce(?:me)?|traducir|traduzca|resume(?:me)?|resumir|responde|corrige|explica(?:me)?|reformula|simplifica)\b",
)
# Questions about what the assistant can do, not requests: "can you click buttons for me?".
CAPABILITY = (
    # A generic plural after a short verb phrase ("can you click on buttons", "puedes hacer clic en botones");
    # a determiner names particular things, which is a request ("can you close all the windows?").
    r"(?:can|could|will) (?:you|u)(?: even| actually| also)? (?:(?!(?:the|my|all|these|those|this|that|our|your)\b)"
    r"\w+ ){1,3}(?:buttons|apps|applications|programs|windows|things|stuff|files|websites|tabs|anything|something|"
    r"forms|keys)\b",
    r"are you able to", r"is it possible for you", r"in theory", r"do you have the ability", r"are you allowed to",
    r"(?:kannst|konntest) du (?:(?!(?:die|der|das|den|dem|mein|meine|meinen|alle|diese|dieses|diesen|dein|deine)\b)"
    r"\w+ ){0,4}(?:programme|anwendungen|apps|dinge|sachen|dateien|knopfe|buttons|tasten|fenster|formulare|irgendwas|"
    r"etwas)\b", r"bist du in der lage",
    r"ist es dir moglich",
    r"(?:peux-tu|tu peux|pourrais-tu) (?:(?!(?:tous|toutes|mes|ces|tes)\b)\w+ ){0,2}(?:des|les) "
    r"(?:applis|applications|programmes|fenetres|boutons|"
    r"formulaires|touches|choses|fichiers|sites)", r"es-tu capable", r"est-ce que tu es capable", r"tu es capable",
    r"(?:puedes|podrias) (?:(?!(?:los|las|mis|tus|todos|todas|estos|estas|esos|esas)\b)\w+ ){0,4}(?:programas|"
    r"aplicaciones|apps|ventanas|botones|teclas|cosas|archivos|formularios)\b",
    r"eres capaz", r"es posible que (?:tu|puedas)",
    # Comparing the assistant with the user or with people: "can you click faster than me?" asks about skill.
    r"(?:faster|quicker|better|more accurately|more precisely) than (?:me|i|a human|humans|people|my \w+)",
    r"as (?:fast|quickly|well|accurately) as (?:me|i|a human|humans|people|my \w+)",
    r"(?:schneller|besser|flinker|genauer) (?:\w+ ){0,2}als (?:ich|mich|ein mensch|menschen|mein\w*)",
    r"(?:plus (?:vite|rapidement|precisement)|mieux) que (?:moi|un humain|les humains|mon|ma)",
    r"(?:mas (?:rapido|deprisa|preciso)|mejor) que (?:yo|un humano|los humanos|mi)",
    # Whether pictures can be made at all, the question ending there: "can you make images?", "tu peux dessiner ?".
    r"(?:can|could) (?:you|u)(?: even| actually| also)? (?:make|create|generate|draw|paint|do|produce|design) "
    r"(?:images|pictures|drawings|photos|logos|art|illustrations)(?=\s*(?:\?|$|,|or\b|too\b|as well\b))",
    r"(?:can|could) (?:you|u)(?: even| also)? (?:draw|paint)(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    r"(?:kannst|konntest) du (?:auch |eigentlich |uberhaupt )?(?:bilder|zeichnungen|fotos|logos) "
    r"(?:erstellen|machen|malen|zeichnen|generieren|erzeugen|entwerfen)(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    r"(?:kannst|konntest) du (?:auch |eigentlich |uberhaupt )?(?:zeichnen|malen)(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    r"(?:peux-tu|tu peux|pourrais-tu|sais-tu|tu sais|est-ce que tu peux|est-ce que tu sais) (?:aussi )?"
    r"(?:creer|generer|faire|dessiner|produire) (?:des )?(?:images|dessins|photos|logos|illustrations)"
    r"(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    r"(?:peux-tu|tu peux|sais-tu|tu sais|est-ce que tu sais) (?:aussi )?(?:dessiner|peindre)"
    r"(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    r"(?:puedes|podrias|sabes) (?:tambien )?(?:crear|generar|hacer|dibujar|producir|disenar) "
    r"(?:imagenes|dibujos|fotos|logos|ilustraciones)(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    r"(?:puedes|podrias|sabes) (?:tambien )?(?:dibujar|pintar)(?=\s*(?:\?|$|,|or\b|oder\b|ou\b|o\b))",
    # Doubt about the ability itself ("can you actually ...", "kannst du überhaupt ...", "de verdad puedes ...")
    # and an "or is that just hype?" alternative: the user asks whether, not asks to.
    r"(?:can|could) (?:you|u) (?:actually|even|really|truly)",
    r"(?:kannst|konntest) du (?:eigentlich|uberhaupt|wirklich)",
    r"(?:peux-tu|tu peux|pourrais-tu|est-ce que tu peux|tu sais|sais-tu) (?:vraiment|reellement|meme)",
    r"(?:puedes|podrias) (?:realmente|de verdad|en serio)", r"(?<=de )verdad (?:puedes|podrias)",
    r"(?<=en )serio (?:puedes|podrias)", r"realmente (?:puedes|podrias)",
    r"or (?:is|are) (?:that|it|this|those|these) (?:just|only|all|even|a|an)", r"or not at all",
    r"oder (?:ist|sind) (?:das|es|die) (?:nur|bloss|alles|reine|reines)", r"oder gar nicht",
    r"ou c'est (?:juste|que|seulement|du|de la|un|une)", r"ou pas du tout",
    r"o (?:es|eso es|son) (?:solo|puro|pura|solamente|un|una)", r"o nada",
    r"t'es capable", r"t'es en mesure", r"tu sais (?:faire|lire|voir|cliquer|dessiner|ouvrir|taper)",
)
# Advice and habits: "pro tip: press ctrl+s often" tells the user what to do, not the assistant.
ADVICE = (
    r"(?:pro |quick )?tips?\s?:",
    # A routine or habit described as a list: "my morning routine: open laptop, check email, close slack".
    r"routines?", r"rutinas?", r"(?:morgen|abend|tages)routine", r"tagesablauf",
    r"every (?:few |\d+ )?(?:min|mins|secs?|hrs?)",
    r"alle (?:paar |\d+ )?(?:minuten|sekunden|stunden|min)", r"toutes les (?:\d+ )?(?:minutes|secondes|heures|min)",
    r"cada (?:\d+ )?(?:minutos|segundos|horas|min)", r"tipp\s?:", r"hinweis\s?:", r"astuce\s?:", r"conseils?\s?:",
    r"consejos?\s?:",
    r"truco\s?:", r"often", r"regularly", r"always", r"every time", r"whenever", r"usually", r"habit",
    r"every (?:few |\d+ )?(?:seconds?|minutes?|hours?|days?)", r"regelmassig", r"immer", r"jedes mal", r"oft",
    r"souvent", r"toujours", r"regulierement", r"chaque fois", r"a menudo", r"siempre", r"cada vez",
    r"regularmente", r"normalmente", r"ofter", r"haufiger", r"auf nummer sicher", r"more often", r"play it safe",
    r"plus souvent", r"mas a menudo", r"con frecuencia", r"mas seguido",
)
# Requests to only look: these make an action impossible whatever else the message says.
LOOK_ONLY = (
    r"just (?:tell|look|read|describe|check|see)", r"only (?:tell|look|read|describe|check)",
    r"don'?t (?:do|touch|click|press|change|type|move) anything", r"hands off", r"without (?:touching|clicking|doing)",
    r"nur (?:sagen|schauen|lesen|beschreiben|gucken)", r"sag mir nur", r"fass nichts an",
    r"nichts (?:anfassen|anklicken|klicken|drucken)",
    r"ohne (?:etwas )?(?:zu )?(?:klicken|anzufassen)", r"mach nichts",
    r"dis-moi (?:juste|seulement)", r"juste (?:regarder|lire|decrire|me dire)", r"ne touche (?:a )?rien",
    r"ne (?:clique|fais) rien", r"ne clique sur rien", r"ne touche a rien", r"sans (?:toucher|cliquer|rien)",
    r"solo (?:dime|mira|lee|describe)", r"no toques nada", r"no hagas nada", r"sin (?:tocar|hacer clic|hacer nada)",
)
# A command taken back: "close chrome... actually wait, no", "mach zu, ach nee doch nicht".
TAKEN_BACK = (
    r"never ?mind", r"actually,? (?:wait|no|don'?t|nah|scratch that)", r"wait,? (?:no|don'?t|stop)",
    r"scratch that", r"forget (?:it|that)\s*$", r"doch nicht", r"vergiss es", r"ach (?:nee|nein)", r"laisse tomber",
    r"(?<=en )fait non", r"non attends", r"olvidalo", r"mejor no", r"espera,? no",
)
# Deferred or physical-world requests: not an action on this desktop, now.
ELSEWHERE = (
    r"remind me", r"for later", r"tomorrow", r"in my (?:head|mind|dreams?)", r"im (?:kopf|traum)",
    r"dans ma tete", r"(?<=en )mi (?:cabeza|mente)", r"(?:from|in|out of) my life", r"aus meinem leben",
    r"(?<=de )ma vie", r"(?<=de )mi vida",
    # Files and links given to the chat, not things on the desktop.
    r"(?:i|i've|i have) (?:just )?(?:uploaded|attached|sent you|shared|pasted)", r"attached", r"uploaded",
    r"attachment", r"hochgeladen", r"angehangt(?:e|en)?", r"im anhang", r"(?<=ich )geschickt",
    r"j'ai (?:envoye|joint|partage|colle)",
    r"(?:piece|fichier) jointe?", r"telecharge (?:ici|plus haut)", r"que (?:subi|adjunte|envie|pegue|te pase)",
    r"adjunt[oa]s?", r"later today", r"tonight", r"in \d+ (?:minutes|hours)",
    r"kettle", r"wasserkocher", r"bouilloire", r"hervidor", r"(?:i'?m|i am) (?:coming|on my way|heading) home",
    r"ich komme (?:gleich |bald )?nach hause", r"je rentre", r"(?:voy|vuelvo|llego) (?:para |a )?casa",
    r"fresh air", r"hot in here", r"cold in here", r"\bdoor\b", r"\bcar\b", r"fridge", r"oven", r"garage",
    r"curtains", r"blinds", r"erinnere mich", r"morgen", r"spater", r"frische luft", r"\btur\b", r"kuhlschrank",
    r"rappelle-moi", r"demain", r"plus tard", r"air frais", r"\bporte\b", r"frigo", r"recuerdame", r"manana",
    r"mas tarde", r"aire fresco", r"\bpuerta\b", r"nevera", r"so heiss", r"heiss hier", r"warm hier", r"stickig",
    r"luften", r"kalt hier", r"chaud ici", r"froid ici", r"trop chaud", r"aerer", r"calor aqui", r"mucho calor",
    r"frio aqui", r"ventilar", r"(?:bed|living )?room", r"kitchen", r"zimmer", r"schlafzimmer", r"wohnzimmer", r"kuche",
    r"lights?",
    r"licht", r"lumiere", r"luz", r"salon", r"lampe?", r"lamp",
    r"chambre", r"cuisine", r"habitacion", r"cuarto", r"cocina", r"it'?s (?:hot|cold|stuffy|freezing)",
    r"es ist (?:so )?(?:heiss|kalt|warm)",
    r"il fait (?:trop )?(?:chaud|froid)", r"hace (?:mucho )?(?:calor|frio)",
    # Draughts: a window that lets cold air in is a physical one.
    r"es zieht", r"zieht (?:so|hier|total)", r"zugluft", r"durchzug", r"drafty", r"draughty",
    r"there'?s a (?:draft|draught)", r"courant d'air", r"hay corriente", r"corriente de aire",
    # Heat and cold in the room, however it is said ("qué calor", "on étouffe", "mir ist kalt", "I'm sweating").
    r"(?:so|too|really|very|way too|super|boiling|freezing) (?:hot|cold|warm|stuffy|humid)", r"heat(?:wave)?",
    r"(?:i'?m|i am|we'?re|we are) (?:so |really |too |literally |absolutely )?(?:freezing|cold|hot|boiling|roasting|"
    r"melting|dying of heat|sweating)", r"sweating", r"boiling in here", r"freezing in here", r"hitze", r"heiss",
    r"schwul", r"kalt", r"schwitze",
    r"friere", r"bullig", r"chaleur", r"chaud", r"froid", r"on etouffe", r"on gele", r"je transpire", r"canicule",
    r"calor", r"frio", r"bochorno", r"sudando", r"me asfixio", r"me congelo",
    # Weather, insects, smells and street noise come through a real window ("close the window, it's raining in").
    # Only what happens now ("it's raining in", "es regnet rein"): weather nouns are common in picture prompts.
    r"(?:it'?s|it is) (?:raining|pouring|storming|windy)", r"rain(?:s|ing)? in", r"mosquito(?:e?s)?", r"wasps?",
    r"insects?", r"(?<!code )smells? (?:like|of)", r"stinks?", r"so loud outside", r"es regnet", r"regnet rein",
    r"mucken", r"schnaken", r"wespen", r"insekten", r"stinkt", r"riecht (?:nach|hier)", r"il pleut", r"ca sent",
    r"moustiques?", r"guepes?", r"ca pue", r"bruit (?:dehors|de la rue)", r"llueve", r"(?:esta )?lloviendo",
    r"avispas?", r"huele (?:a|fatal|mal)", r"ruido de la calle",
    # Opening a window partly, letting air in, keeping the neighbours out: a window in the room.
    r"window (?:a (?:bit|little|crack)|halfway|slightly|wide)", r"let (?:some )?(?:fresh )?air in", r"fumes",
    r"neighbou?rs", r"fenster (?:einen spalt|ein bisschen|ein wenig|kurz)", r"luft rein", r"nachbarn",
    r"fenetre (?:un peu|en grand|a moitie)", r"entrouvre", r"un peu d'air", r"voisins", r"ventana (?:un poco|del todo)",
    r"entreabre", r"(?:que )?entre (?:el |un poco de )?aire", r"vecinos",
    # Household devices are not this desktop ("hit the snooze button on my alarm clock").
    r"alarm clock", r"snooze", r"microwave", r"washing machine", r"dishwasher",
    r"(?<=the )remote(?! (?:desktop|server|machine|host|repo|branch))", r"remote control",
    r"thermostat", r"wecker", r"mikrowelle", r"waschmaschine", r"spulmaschine", r"fernbedienung", r"reveil",
    r"micro-ondes", r"lave-linge", r"lave-vaisselle", r"telecommande", r"despertador", r"microondas", r"lavadora",
    r"lavavajillas", r"mando a distancia",
    # The TV, the radio and the car have their own sound ("turn the volume down on the tv", "baja la tele").
    r"tv", r"tele", r"telly", r"televisions?", r"televisor", r"fernseher", r"glotze", r"radio(?! ?buttons?)",
    r"stereo", r"soundbar", r"smart speaker", r"alexa", r"sonos",
    r"(?<=im )auto", r"(?<=ins )auto", r"(?<=meinem )auto", r"(?<=del )auto", r"(?<=el )auto",
    r"(?<=l')auto",
    r"coche", r"voiture", r"chaine hi-fi", r"equipo de musica", r"stereoanlage",
)
# The conversation itself: "scroll back up to your first answer", "delete the last paragraph" of a text
# the assistant wrote. Not this desktop.
CONVERSATION = (
    r"your (?:(?:first|last|previous|earlier|second|third|other|own) )?(?:answers?|reply|replies|responses?|"
    r"suggestions?|list|story|poem|draft|version|text|message|summary|explanation)",
    r"(?:this|our) (?:chat|conversation|convo|discussion|thread|talk)",
    # What the assistant said before: "scroll back and check what you said about taxes".
    r"what you (?:said|wrote|told me|suggested|mentioned|answered)",
    r"you (?:said|wrote|mentioned) (?:earlier|before|above)",
    r"was du (?:\w+ ){0,3}(?:gesagt|geschrieben|vorgeschlagen) hast", r"(?:diese|unsere) (?:unterhaltung|diskussion)",
    r"ce que tu (?:m'as|as) (?:dit|ecrit|propose)", r"(?:cette|notre) discussion",
    r"lo que (?:me )?(?:dijiste|escribiste|sugeriste|comentaste)", r"(?:esta|nuestra) (?:charla|conversa)",
    r"(?:this|that) (?:answer|reply|response) (?:above|before)",
    r"(?<=the )(?:answer|reply|response) (?:above|before)",
    r"(?:first|last|previous|second) (?:paragraph|sentence|bullet(?: point)?|stanza|verse)",
    r"deine (?:(?:erste|letzte|vorige|vorherige|andere) )?(?:antwort|liste|geschichte|zusammenfassung|version)",
    r"(?:dieses|unser) (?:gesprach|chat)", r"(?:ersten|letzten|vorigen|zweiten) (?:absatz|satz|punkt|strophe)",
    r"ta (?:(?:premiere|derniere|precedente) )?(?:reponse|liste|histoire|version)", r"cette conversation",
    r"(?:premier|dernier|deuxieme) (?:paragraphe|sujet|point)", r"(?:premiere|derniere) phrase",
    r"tu (?:(?:primera|ultima|anterior) )?(?:respuesta|lista|historia|version)", r"esta conversacion",
    r"(?:primer|ultimo|segundo) (?:parrafo|tema|punto)", r"(?:primera|ultima) frase",
)
# Notes, artifacts and the chat's own texts: opening or saving these is a tool, never a desktop action
# ("Öffne die Notiz "Geschenkideen"", "save this list as gifts").
SAVED_THINGS = (
    r"notes?(?!\.\w)", r"notiz(?:en)?", r"notas?(?!\.\w)", r"artifacts?", r"artefakte?n?", r"artefacts?",
    r"artefactos?",
    r"(?:this|that|these|diese[snr]?|dieses|cette|ces|esta|este|estas|estos) (?:list|liste|lista|summary|"
    r"zusammenfassung|resume|resumen|answer|antwort|reponse|respuesta|recipe|rezept|recette|receta|poem|gedicht|"
    r"poeme|poema|snippet|table|tabelle|tableau|tabla|chat|conversation|gesprach|conversacion|unterhaltung)",
)
# Negation triggers, and pseudo-negations that do not negate ("no worries", "don't forget to").
NEGATION = (
    r"no", r"not", r"don'?t", r"do not", r"doesn'?t", r"never", r"without", r"no need to", r"stop", r"avoid",
    r"nothing", r"neither", r"nor", r"refrain from",
    r"nicht", r"kein(?:e|en|er|es)?", r"nie", r"niemals", r"nichts", r"ohne", r"hor auf", r"bloss nicht",
    r"ne", r"n'", r"pas", r"jamais", r"rien", r"sans", r"arrete de", r"evite de",
    r"nunca", r"nada", r"sin", r"jamas", r"deja de", r"ni",
)
PSEUDO_NEGATION = (
    r"no worries", r"no problem", r"not only", r"no doubt", r"don'?t forget to", r"don'?t hesitate to",
    r"don'?t worry", r"not just", r"keine sorge", r"keine angst", r"vergiss nicht", r"nicht vergessen",
    r"nicht nur", r"pas de souci", r"pas de probleme", r"n'oublie pas de", r"n'hesite pas a", r"non seulement",
    r"no te preocupes", r"no hay problema", r"no olvides", r"no solo", r"sin problema",
    r"do not disturb", r"nicht storen", r"ne pas deranger", r"no molestar",
)
# Names of settings that look like negations; they count as a UI object ("turn on do not disturb").
MODE_NAMES = (r"do not disturb", r"nicht storen", r"ne pas deranger", r"no molestar")
# Words that end a negation's scope ("don't click anything, just tell me ...").
NEGATION_END = (
    r"but", r"however", r"just", r"only", r"instead", r"rather", r"except", r"though",
    r"aber", r"sondern", r"nur", r"stattdessen", r"jedoch",
    r"mais", r"seulement", r"plutot", r"juste", r"par contre",
    r"pero", r"sino", r"solo", r"solamente", r"en cambio", r"mas bien",
)
# Question words that make a clause a question rather than a command.
QUESTION_STARTS = (
    r"why", r"what", r"when", r"where", r"which", r"who", r"whose", r"does", r"do", r"did", r"is", r"are",
    r"was", r"were", r"should", r"how", r"has", r"have",
    r"warum", r"wieso", r"weshalb", r"was", r"wann", r"wo", r"welche[rsn]?", r"wer", r"ist", r"sind", r"wie",
    r"pourquoi", r"que", r"quoi", r"quand", r"ou", r"quel(?:le)?s?", r"qui", r"est-ce que", r"qu'est-ce",
    r"comment",
    r"por que", r"porque", r"que", r"cuando", r"donde", r"cual(?:es)?", r"quien", r"como", r"es", r"son",
)
# The user's own screen, for observe cues and for downgrading a refused action.
SCREEN = (
    r"screen", r"monitor", r"display", r"desktop", r"window", r"screenshot", r"what (?:do|can) you see",
    r"what'?s open", r"look at", r"take a look", r"on my (?:pc|computer|laptop|mac)", r"visible",
    r"bildschirm", r"fenster", r"siehst du", r"schau", r"guck", r"bildschirmfoto", r"desktop",
    r"ecran", r"fenetre", r"vois", r"regarde", r"capture d'ecran", r"bureau",
    r"pantalla", r"ventana", r"ves\b", r"mira", r"captura", r"escritorio",
)
