"""Intent cues: small hand-written lexicons, in four languages, that the classifier reads as features.

N-grams learn what the labelled set shows; cues carry what a reader knows in every language
("merk dir" and "souviens-toi" both ask to remember; "Aquarell", "watercolor" and "acuarela"
all describe a picture style). Each cue is one feature, so a phrase seen only in English
still helps the German, French and Spanish messages that fire the same cue.
Patterns run on folded text (lower case, no accents) with quotes cut out, through `Lexicon`'s
first-word prefilter, so a cue costs almost nothing when none of its words occurs.
"""
import re

from alphaomega.pipelines.routing.matching import Lexicon


def _cue(*words: str) -> Lexicon:
    return Lexicon(words)


class _Start:
    """A pattern anchored at the start of the text (cheap: one position)."""

    def __init__(self, regex: str):
        self.regex = re.compile(regex)

    def search(self, text: str, words: frozenset[str]) -> bool:
        return self.regex.match(text) is not None


class _Question(_Start):
    def search(self, text: str, words: frozenset[str]) -> bool:
        return text.rstrip().endswith("?") or super().search(text, words)


class _CodeSyntax:
    """Code punctuation and keywords; each costly regex runs only when its trigger character occurs."""

    _SYMBOLS = ("==", "=>", "!=", "+=", "{", "}", "</", "/>", "'" * 3, "$")
    _CALL = re.compile(r"\w\([^()\n]{0,80}\)|\.\w+\(")
    _DIFF = re.compile(r"^\s*[-+] ", re.MULTILINE)
    _LINE_END = re.compile(r";\s*$", re.MULTILINE)
    _FLAG = re.compile(r"(?<=\s)--?[a-z][\w-]*\b")
    _SCRIPT_FILE = re.compile(r"\w\.(?:sh|py|js|ts|ps1|bat|rb|pl|php|sql|yml|yaml)\b")
    _KEYWORDS = Lexicon([r"selec?t \w+(?:, ?\w+){0,8} from \w", r"def \w", r"return", r"import \w", r"print\(",
    r"console\.", r"self\.", r"fn \w",
                         r"var \w", r"let \w", r"const \w", r"select \*", r"from \w+ where",
                         r"(?:type|value|key|name|syntax|attribute|index|runtime|import|module|reference|zerodivision|"
                          r"recursion|overflow|assertion|lookup|permission|filenotfound|modulenotfound|unicodedecode|"
                          r"notimplemented|connection|timeout|os|io|stopiteration)error:"])

    def search(self, text: str, words: frozenset[str]) -> bool:
        if any(symbol in text for symbol in self._SYMBOLS):
            return True
        if "(" in text and self._CALL.search(text):
            return True
        if ("\n-" in text or "\n+" in text or text[:1] in ("-", "+")) and self._DIFF.search(text):
            return True
        if ";" in text and self._LINE_END.search(text):
            return True
        if " -" in text and self._FLAG.search(text):
            return True
        if "." in text and self._SCRIPT_FILE.search(text):  # "run backup.sh", "my app.py crashes"
            return True
        return self._KEYWORDS.search(text, words) is not None


_PICTURE = (
    r"images?", r"pictures?", r"pics?", r"photos?", r"illustrations?", r"logos?", r"drawings?", r"paintings?",
    r"portraits?", r"wallpapers?", r"posters?", r"icons?", r"stickers?", r"artworks?", r"renders?",
    r"sketch(?:es)?", r"covers?", r"thumbnails?", r"banners?", r"sprites?", r"memes?", r"concept art", r"skizze",
    r"croquis", r"boceto",
    r"album cover", r"profile pic(?:ture)?", r"avatar", r"clip ?art", r"pattern", r"mascot", r"scene", r"tattoo",
    r"emoji", r"flyer", r"card", r"graphic", r"character", r"map", r"pixel[- ]?art", r"cartoon", r"comic", r"3d",
    r"bild(?:er|chen)?", r"fotos?", r"zeichnung", r"gemalde", r"illustration", r"hintergrundbild", r"motiv",
    r"titelbild", r"profilbild", r"cover", r"muster", r"maskottchen", r"szene", r"grafik", r"karte",
    r"zeichentrick(?:film|figur)?",
    r"dessin", r"peinture", r"tableau", r"affiche", r"fond d'ecran", r"icone", r"autocollant", r"visuel",
    r"pochette", r"miniature", r"motif", r"mascotte", r"couverture", r"carte", r"rendu", r"dessin anime", r"bd",
    r"imagen(?:es)?", r"dibujo", r"pintura", r"cuadro", r"ilustracion", r"fondo de pantalla", r"poster", r"icono",
    r"pegatina", r"portada", r"retrato", r"patron", r"mascota", r"escena", r"tarjeta", r"mapa", r"miniatura",
    r"estampado", r"dibujo animado", r"vineta", r"invitation card", r"einladung(?:skarte)?", r"invitacion",
    r"carte d'invitation", r"colou?ring (?:page|sheet|picture)s?", r"ausmalbild(?:er)?", r"malvorlagen?",
    r"coloriages?", r"dibujos? para colorear", r"(?:pagina|lamina)s? para colorear",
)

CUES: dict[str, "Lexicon | _Start | _CodeSyntax"] = {
    # Asking for a new picture: a making verb near a picture noun.
    "make_picture": Lexicon([
        r"(?:generate|create|make|draw|paint|render|design|sketch|illustrate|produce|give me|show me|whip up|"
        r"i (?:want|need|would like|'d like)|need|want|can you (?:make|create|draw|generate)|"
        r"erstelle?n?|erzeuge?n?|generiere?n?|mach(?:e|en)?|mal(?:e|en)?|zeichne?n?|entwirf|entwerfen|"
        r"gestalte?n?|rendere?n?|ich (?:hatte gern|brauche|will|mochte)|"
        r"genere[rz]?|cree[rz]?|fais|faire|dessine[rz]?|peins|peindre|concois|realise[rz]?|"
        r"genera(?:r)?|crea(?:r)?|haz(?:me)?|hacer|dibuja(?:r|me)?|pinta(?:r|me)?|disena(?:r)?|necesito|quiero)\b"
        r"(?:\W+\w+){0,6}?\W+(?:" + "|".join(_PICTURE) + r")",
        # "show me a cat dressed as a pirate", "show me what our garden would look like with a pond".
        r"show me (?:a|an|some|what|how) (?:\S+ ){0,5}?(?:dressed (?:up )?as|wearing|riding|made (?:of|out of)|"
        r"would look like|in a (?:tuxedo|costume|tutu|spacesuit|top hat))",
        r"montre-moi (?:un|une|des|a quoi) (?:\S+ ){0,5}?(?:deguise|habille|ressemblerait)",
        r"(?:muestrame|ensename) (?:un|una|unos|unas|como) (?:\S+ ){0,5}?(?:vestid[oa]s? de|disfrazad[oa]s? de|"
        r"quedaria)",
        r"zeig(?:e)? mir (?:ein|eine|einen|wie) (?:\S+ ){0,5}?(?:verkleidet|im kostum|aussehen wurde)",
        # Pictures for a story or a poem: "illustrate my kid's bedtime story", "illustre le conte".
        r"(?:illustrate|illustrier(?:e|en)?|illustre[rz]?|ilustra(?:r|me)?) (?:\S+ ){0,4}?(?:story|stories|poem|tale|"
        r"book|geschichte|gedicht|marchen|histoire|poeme|conte|livre|cuento|historia|poema|libro)"]),
    "picture_noun": _cue(*_PICTURE),
    # A verbless spec: "phone wallpaper: misty forest", "sticker design: an angry avocado".
    "picture_spec": _Start(r"(?:(?:a|an|un|une|ein|eine|mein|my|mon|mi)\s)?(?:\S+\s)?(?:wallpaper|sticker|logo|poster|"
                           r"avatar|hintergrundbild|fond d'ecran|fondo de pantalla|pegatina|autocollant|affiche|"
                           r"aufkleber|profilbild|cartel)s?\b[^:?\n]{0,40}:\s*\w"),
    # A bare description without a verb or question ("a dragon made of smoke"): an image prompt, mostly.
    "bare_description": _Start(r"(?:a|an|ein|eine|einen|un|une|una|des|unos|unas)\s(?!.*\?\s*$)"),
    "draw_verb": _cue(r"draw", r"paint", r"sketch", r"illustrate", r"render", r"zeichne", r"mal(?:e)? mir",
                      r"male", r"mal (?:ein|eine|einen|mir|uns)", r"malen", r"zeichnen", r"dessine[rz]?", r"dessines",
                      r"peins", r"peindre",
                      r"dibuja(?:me|s|r)?", r"pinta(?:me|s|r)?", r"dibujame", r"pintame"),
    # Follow-ups that change the last picture in a visible way; generic follow-ups ("make it better",
    # "try again", "another one") are `text_edit`, which is chat unless a picture is named.
    "redo": _cue(r"now make it", r"same (?:image|picture|scene|photo|drawing|logo)", r"another (?:version|variation)",
                 r"(?:more|less) (?:colou?rful|bright|dark|realistic|detailed|saturated)", r"darker", r"brighter",
                 r"in black and white", r"black and white", r"(?:at|by) night", r"in winter", r"in summer",
                 r"gleiche,? aber", r"gleiche bild", r"dasselbe bild", r"bunter", r"dusterer", r"heller", r"dunkler",
                 r"schwarz-?weiss", r"meme (?:chose|image|dessin|photo)", r"plus sombre", r"plus clair(?:e)?",
                 r"plus colore(?:e|s|es)?", r"noir et blanc", r"misma (?:imagen|foto)", r"mas oscur(?:o|a|os|as)",
                 r"mas clar(?:o|a)", r"mas colorid(?:o|a)", r"blanco y negro",
                 r"(?:red|blue|green|yellow|purple|pink|orange|black|white|golden) instead of",
                 r"(?:rot|blau|grun|gelb|lila|rosa|schwarz|weiss) statt", r"au lieu de (?:rouge|bleu|vert|jaune)",
                 r"vez de (?:rojo|azul|verde|amarillo)", r"(?<=en )(?:rouge|bleu|vert|violet|rose)",
                 r"(?:morado|rojo|azul|verde|rosa)(?=\s*$)",
                 r"(?:another|one more|otra|une autre|encore une|noch (?:eine?[nrs]?|mal))\b.{0,20}\b"
                 r"(?:with|mit|avec|con) "
                 r"(?:two|three|zwei|drei|deux|trois|dos|tres|\d)(?! (?:more |weitere[n]? |de plus |mas )?\w*(?:stroph|"
                 r"vers|couplet|estrof|paragra|absatz|parraf|satz|satze|sentence|phrase|frase|line|zeile|ligne|linea|"
                 r"word|wort|mot|palabra|point|punkt|punto|bullet|idea|idee|tip|joke|witz|blague|chiste|example|"
                 r"beispiel|exemple|ejemplo|reim|rime|rima|rhyme|option|question|frage|pregunta))"),
    # Generic follow-ups on the last answer: shorter, again, more formal, in German, go on.
    "text_edit": _cue(r"make it", r"try again", r"again", r"another one", r"one more(?: time)?", r"redo(?: it)?",
                      r"shorter", r"longer", r"simpler", r"funnier", r"friendlier", r"punchier",
                      r"(?:more|less) (?:formal|casual|polite|friendly|professional|detailed|concise|enthusiastic|"
                      r"cheesy|serious|technical|emotional)", r"rephrase", r"reword", r"rewrite(?: it| that| this)?",
                      r"improve (?:it|that|this)", r"polish", r"tighten", r"tone it (?:down|up)", r"expand on",
                      r"elaborate", r"summari[sz]e", r"tl;?dr", r"translate", r"bullet points?", r"grammar",
                      r"spelling", r"typos", r"keep going", r"go on", r"continue", r"(?:in|into) (?:english|german|"
                      r"french|spanish|italian)",
                      r"kurzer", r"langer", r"formeller", r"lockerer", r"einfacher", r"lustiger", r"freundlicher",
                      r"formulier(?:e)?", r"umformulieren", r"schreib (?:es|das|ihn|sie) um", r"verbessere?",
                      r"nochmal", r"noch (?:einmal|mal|einer|eins)", r"versuch'?s", r"weiter", r"mach weiter",
                      r"auf (?:englisch|deutsch|franzosisch|spanisch)", r"ubersetz(?:e)?", r"zusammen", r"grammatik",
                      r"rechtschreibung", r"mach(?:'s| es)",
                      r"plus (?:court|long|formel|simple|drole|sympa|clair|precis|detaille)", r"moins (?:formel|long)",
                      r"reformule[rz]?", r"reecri[st](?:-le|-la)?", r"ameliore(?:-le|-la)?", r"encore",
                      r"continue[rz]?",
                      r"refais(?:-le|-la)?", r"recommence", r"rends-(?:le|la)", r"une autre",
                      r"(?<=en )(?:anglais|allemand|"
                      r"espagnol|francais)", r"traduis", r"resume(?:-le|-la)?", r"corrige les fautes", r"orthographe",
                      r"developpe[rz]?",
                      r"mas (?:corto|largo|formal|sencillo|gracioso|simpatico|claro)", r"menos formal",
                      r"reformula(?:lo|la)?", r"reescribe(?:lo|la)?", r"reescribelo", r"mejora(?:lo|la)?", r"otra vez",
                      r"(?<=de )nuevo", r"repite(?:lo|la)?", r"sigue", r"continua", r"hazlo", r"hazla", r"otra",
                      r"(?<=en )(?:ingles|aleman|frances|espanol)",
                      r"(?<=al )(?:ingles|aleman|frances|espanol)", r"(?<=to )(?:english|german|french|spanish)",
                      r"traduce(?:lo|la)?", r"resume(?:lo|la)?",
                      r"ortografia", r"desarrolla"),
    "art_style": _cue(r"watercolou?r", r"oil painting", r"photo-?realistic", r"digital art", r"pixel art",
                      r"4k(?![- ]?(?:bildschirm|monitor|tv|fernseher|ecran|pantalla|display|screen|television|tele))",
                      r"8k", r"cinematic", r"highly detailed", r"artstation", r"anime(?: style)?",
                      r"studio (?:lighting|photo)", r"bokeh", r"unreal engine", r"octane render", r"isometric",
                      r"low poly", r"line art", r"vaporwave", r"synthwave", r"steampunk", r"cyberpunk",
                      r"in the style of", r"style of", r"kawaii", r"hyperrealistic", r"3d render", r"lo-?fi",
                      r"aquarell(?:stil|e|en)?", r"olgemalde", r"fotorealistisch(?:e|es|en)?", r"digitale kunst",
                      r"im stil", r"aquarelle", r"peinture a l'huile", r"photorealiste", r"art numerique",
                      r"maniere de", r"style", r"acuarela", r"oleo", r"fotorrealista", r"arte digital",
                      r"al estilo", r"neons?", r"dramatic light(?:ing)?", r"dramatisches licht",
                      r"lumiere dramatique", r"luz dramatica", r"sunset", r"sunrise", r"pencil", r"bleistift",
                      r"au crayon", r"(?<=a )lapiz", r"charcoal", r"kohle(?:zeichnung)?", r"fusain", r"carboncillo"),
    # Pictures that are text: ASCII art, charts and lists in text, plans, descriptions.
    "text_picture": _cue(r"ascii", r"in text", r"as text", r"text-?based", r"als text", r"(?<=en )texte", r"in words",
                         r"with words", r"mit worten", r"avec des mots", r"con palabras",
                         r"draw (?:a |an |the )?(?:comparison|parallel|conclusion|distinction|line between|lesson)s?",
                         r"(?<=den )unterschied", r"(?<=la )difference", r"(?<=la )diferencia",
                         r"ideas?", r"ideen", r"idees", r"describe", r"beschreib(?:e|en|ung)?",
                         r"decri(?:s|re|vez|ption)", r"plan", r"planning", r"plano", r"budget", r"presupuesto",
                         r"quiz", r"todo", r"do list", r"(?:pack|einkaufs|todo-|namens|besten|check|wunsch|lese)liste",
                         r"do-liste",
                         r"(?<=en )texto", r"table", r"tabelle", r"tableau comparant",
                         r"tableau (?:des|recapitulatif|comparatif|excel)",
                         r"sous forme de tableau", r"(?<=en )tableau", r"tabla", r"list", r"liste",
                         r"lista", r"flowchart", r"flussdiagramm", r"organigramme", r"diagrama de flujo", r"mermaid",
                         r"conclusion", r"draw up", r"contract",
                         # "draw" that makes no picture: curtains, a bath, a card, lots, attention.
                         r"draw (?:the |my |a |some |your )?(?:curtains|blinds|drapes|shades|bath|blood|cards?|lots|"
                         r"straws|breath|water|attention|inspiration|crowds?)", r"caracteres", r"zeichen", r"latex",
                         r"markdown",
                         r"illustrate (?:the (?:difference|point|idea|concept)|how|why|what|with an example)",
                         r"with an example", r"mit einem beispiel", r"avec un exemple", r"con un ejemplo",
                         r"render (?:this|that|the|these) (?:sentence|text|paragraph|phrase|word)s?",
                         r"passive voice", r"active voice"),
    # Texts to write or rewrite into: "turn it into a poem", "mach daraus einen Brief".
    "text_form": _cue(r"poems?", r"letter", r"essay", r"haiku", r"limerick", r"tweet", r"email", r"e-mail", r"speech",
                      r"summary", r"story", r"song lyrics", r"lyrics", r"rap", r"sonnet", r"bullet points?",
                      r"big picture", r"picture this", r"get the picture", r"with words", r"mit worten",
                      r"avec des mots", r"con palabras",
                      r"gedicht", r"brief", r"aufsatz", r"rede", r"geschichte", r"zusammenfassung", r"liedtext",
                      r"poeme", r"lettre", r"dissertation", r"discours", r"histoire", r"resume", r"paroles",
                      r"poema", r"carta", r"ensayo", r"discurso", r"historia", r"resumen", r"letra"),
    # How image models work: explanations, not requests.
    "about_image_ai": _cue(r"diffusion", r"difusion", r"diffusionsmodell(?:e|en)?", r"stable diffusion",
                           r"midjourney", r"dall-?e", r"latent", r"image generators?", r"ai art", r"gan",
                           r"bildgeneratoren", r"generateurs d'images", r"generadores de imagenes", r"prompt"),
    # Changing a given picture.
    "edit_picture": Lexicon([
        r"turn (?:this|it|me|my|the)\b.{0,30}\binto", r"make the (?:background|sky|colou?rs?|image|photo|picture)",
        r"version of (?:this|it|me)", r"as an? (?:sticker|cartoon|painting|drawing|sketch|anime|comic|watercolou?r|"
        r"oil painting|pixel art|3d render|emoji|avatar)", r"put\b.{0,30}\bon (?:the|this|my|him|her|it)\b",
        r"mets\b.{0,30}\b(?:a|sur) (?:la|le|l'|ce|cette|mon|ma)", r"mach(?:e|t)? aus\b",
        r"gib (?:dem|diesem|meinem) (?:foto|bild)", r"convierte(?:lo|la|los|las)?\b.{0,30}\ben\b",
        r"give (?:this|the|it|my)\b.{0,30}\b(?:look|style|effect|feel|vibe)", r"blur(?:ry|red|s)?", r"unscharf",
        r"floute[rz]?", r"desenfoca(?:r)?", r"difumina(?:r)?", r"lass (?:das|es|mich|den|die)\b.{0,40}\baussehen",
        r"donne\b.{0,30}\b(?:l'air|un look|un style|un effet)", r"dale un (?:aire|look|estilo|efecto)",
        r"haz que\b.{0,40}\bparezca", r"fug(?:e|t)?\b.{0,30}\bhinzu",
        r"make (?:this|it|me|my|the)\b.{0,30}\b(?:look|into|black|brighter|darker|anime|cartoon|painting|style|"
        r"sharper|colou?r)",
        r"convert (?:this|it)\b.{0,30}\binto (?:a |an )?(?:painting|cartoon|drawing|sketch|anime|watercolou?r|"
        r"pixel|3d|render|comic)",
        r"remove the (?:background|person|people|text|watermark)", r"erase",
        r"remove (?:the|that|this) (?:\w+ ){0,2}(?:guy|man|woman|girl|boy|kid|person|people|car|tree|sign|dog|cat|"
        r"photobomber|tourists?|crowd|shadow|logo|lamp ?post|wire|cable)s?",
        r"(?:enleve|retire|efface|supprime)[rz]? (?:la|le|les|l'|cette|ce) ?(?:\w+ )?(?:personne|gens|type|mec|homme|"
        r"femme|fille|garcon|voiture|arbre|texte|ombre|touristes?|panneau|fils)",
        r"(?:quita|borra|elimina)(?:r|le)? (?:a )?(?:la|el|los|las|esa|ese) (?:\w+ )?(?:persona|chico|chica|hombre|"
        r"mujer|gente|coche|arbol|texto|sombra|turistas?|cartel|cables?)",
        r"change the (?:sky|background|colou?r|hair|lighting|season)", r"replace the (?:background|sky)",
        r"add (?:a|an|the|some)\b.{0,30}\b(?:to|on|in) (?:the|this|my) (?:picture|image|photo|pic)",
        r"add\b.{0,30}\bto (?:the|this|my) (?:picture|image|photo|pic)", r"put (?:a|an|the|some)\b.{0,30}\bon",
        r"upscale", r"colou?ri[sz]e", r"restore (?:this|the)", r"similar image", r"same style", r"different pose",
        r"extend (?:this|the)", r"outpaint", r"inpaint", r"redraw", r"edit (?:this|it|the)",
        r"mach(?:e)? (?:aus )?(?:diesem|dem|das|meinem) (?:bild|foto)", r"mach(?:e)? daraus", r"verwandle",
        r"entferne", r"andere",
        r"setz(?:e)?\b.{0,30}\bauf", r"koloriere", r"ahnliches bild", r"hochskalier(?:e|en)?",
        r"transforme", r"mets (?:cette|cet|ce|la|le)\b.{0,20}\ben", r"supprime l'arriere-plan", r"ajoute",
        r"remplace", r"colorise", r"image similaire", r"agrandis l'image",
        r"convierte(?:lo|la)? (?:a |en (?:un|una) (?:cuadro|dibujo|acuarela|caricatura|pintura|comic|leon))",
        r"pon (?:esta|este|la|el)\b.{0,20}\ben", r"quita el fondo", r"anade", r"ponle", r"cambia", r"colorea",
        r"imagen parecida", r"mejora la calidad",
        r"add (?:a|an|some)\b.{0,30}\bto (?:the|this|my|his|her|its|him|it)\b",
        r"(?:enleve|retire|efface)[rz]? le fond",
        r"quita(?:le|r)? el fondo", r"elimina(?:r)? el fondo", r"hintergrund (?:entfernen|weg|raus)",
        r"swap the (?:background|sky|face)", r"tausch(?:e)? den hintergrund", r"change le fond",
        r"cambia(?:le)? el fondo", r"(?:enleve|retire|efface|supprime)[rz]? l'arriere-plan",
        r"(?:entferne|losche)n? (?:den|diesen) hintergrund"]),
    # Remembering, forgetting and recalling facts about the user; saved artifacts.
    "memory": _cue(r"remember (?:that|this|my|i|me)", r"remember ?:", r"please remember", r"remember,",
                   r"memori[sz]e", r"note to self", r"denk(?:e)? (?:\w+ )?(?:dran|daran)",
                   r"delete (?:the|my) memor(?:y|ies)",
                   r"call me", r"nenn(?:e)? mich", r"appelle-moi", r"llamame", r"ab jetzt", r"von jetzt an",
                   r"ab sofort",
                   r"desormais", r"partir de maintenant", r"partir de ahora", r"ahora en adelante",
                   r"garde-(?:le|la) en tete", r"tenlo en cuenta", r"recuerda(?:lo|la)",
                   r"keep in mind", r"note that", r"(?:write|jot|note) (?:this |that |it )?down",
                   r"for future reference", r"pour reference future",
                   r"para (?:futura referencia|referencia futura)", r"zur spateren erinnerung", r"make a note",
                   r"keep a note", r"add to (?:your )?memory",
                   r"update (?:my|your) memory", r"store (?:this|that|the fact)",
                   r"forget (?:my|that|what i|about|everything)", r"remind yourself", r"from now on",
                   r"keep (?:this|that|it) in mind", r"garde (?:ca|cela|le|la) en tete", r"ten (?:esto|eso) en cuenta",
                   r"vergessen", r"oublier", r"olvidar",
                   r"store (?:my|this|that|it)", r"recall (?:what|my|the)",
                   r"save (?:this|that|it) (?:to|in) (?:my |your )?memory",
                   r"merk(?:e)? dir", r"merken", r"behalte? im (?:kopf|hinterkopf)", r"notier(?:e)? dir",
                   r"vergiss (?:bitte |mal )?(?:meine?n?|was|dass|alles)",
                   r"trag(?:e)? (?:dir|es dir|das dir)(?: bitte)? ein", r"trag(?:e)?\b.{0,20}\bin mein gedachtnis",
                   r"behalte? (?:\w+ ){0,2}im (?:kopf|hinterkopf)", r"oublie (?:bien |aussi )?(?:mon|ma|mes)",
                   r"trag(?:e)?\b.{0,20}\bin dein gedachtnis", r"souviens-toi", r"rappelle-toi", r"retiens",
                   r"memorise", r"garde en tete", r"note (?:bien|que)", r"oublie (?:mon|ma|mes|ce que|que|tout)",
                   r"recuerda(?: que)?", r"acuerdate",
                   r"memoriza", r"ten en cuenta", r"apunta", r"anota", r"olvida (?:mi|mis|lo que|que|todo)",
                   r"reme?mbe?r (?:that|this|my|i|me)", r"remmeber", r"rember", r"remeber", r"rememebr",
                   r"(?:add|put) (?:this|that|it) (?:to|in|into) (?:my |a )?notes?", r"make a note",
                   r"note for later", r"(?:save|store|keep|stash) (?:this|that|it|these)\b.{0,30}\b(?:notes?|"
                   r"artifacts?|for later|for me)", r"as a note", r"for later", r"bookmark this", r"keep that in mind",
                   r"(?:stop remembering|remove|erase|drop)\b.{0,40}\b(?:memory|you know)",
                   r"als notiz", r"(?:leg|lege) eine notiz an", r"in meine notizen",
                   r"heb (?:dir )?\w+ \w+ fur mich auf",
                   r"comme note", r"cree une note", r"dans mes notes", r"retiens(?:-le|-la)?", r"garde en tete",
                   r"como nota", r"crea una nota", r"(?<=en )mis notas", r"recuerdalo", r"guardame",
                   r"fur spater", r"pour plus tard", r"para (?:luego|despues|mas tarde)", r"souviens toi",
                   r"retenir que", r"(?:kannst|konntest) du dir merken", r"puedes recordar que",
                   r"garde (?:cette|ce|cet|ca)\b.{0,25}\b(?:pour moi|pour plus tard)"),
    "recall_me": _cue(r"about me", r"know about me", r"remember about me", r"told you", r"i told you",
                      r"know about my", r"(?:you|u) (?:have |'ve )?(?:saved|stored|noted)", r"asked you to remember",
                      r"did i (?:tell|say)", r"what did i (?:tell|say)", r"(?:you|do you) know my",
                      r"dir (?:\w+ ){0,3}(?:gesagt|erzahlt)", r"weisst du (?:noch )?(?:wie|was|wo) mein",
                      r"have you (?:saved|stored)", r"(?:saved|stored) (?:about|for) me", r"your notes",
                      r"je te l'ai dit", r"te lo dije", r"weisst du uber mein(?:e|en)?", r"sais(?:-tu)? (?:de|sur) mes",
                      r"sabes (?:de|sobre) mis", r"do you remember my",
                      r"what(?:'s| is) my(?! (?:ip\b|public ip|best\b|horoscope|zodiac|chance|odds|internet speed))",
                      r"my memory",
                      r"your memory", r"uber mich", r"von mir", r"what do you remember",
                      r"sais (?:sur|de) (?:mon|ma|mes)", r"sais (?:encore|deja|d'autre) (?:sur|de) (?:mon|ma|mes|moi)",
                      r"weisst du (?:noch|sonst|alles) uber (?:mich|mein|meine|meinen)",
                      r"sabes (?:todavia|ya|mas) (?:de|sobre) (?:mi|mis)",
                      r"you'?ve (?:saved|stored|remembered|noted)", r"(?:saved|stored|remember) about (?:me|my)",
                      r"rappelle-moi (?:le|la|les|l'|ce|comment|quel|quelle|quels|ou|qui|quand)\b.{0,40}"
                      r"\b(?:mon|ma|mes|je)\b", r"te quedaste con (?:mi|mis)",
                      r"weisst du uber (?:mein|meine|meinen)", r"sabes (?:de|sobre) (?:mi|mis)", r"hab(?:e)? ich dir",
                      r"erinnerst du dich",
                      r"deinem gedachtnis", r"sur moi", r"(?<=de )moi", r"je t'ai dit", r"tu te souviens",
                      r"ta memoire",
                      r"mon sujet", r"(?<=de )mi(?=\s*[?.!,]|\s*$)", r"sobre mi(?=\s*[?.!,]|\s*$)", r"te dije",
                      r"te acuerdas", r"tu memoria",
                      r"(?:do|did) (?:you|u) (?:still )?(?:know|remember|have|recall) (?:my|where i|what i|when i|"
                      r"how i|who i|which|what my|where my)", r"(?:you|u) (?:still )?(?:know|remember) my",
                      r"what(?:'s| is| was) my \w+(?: \w+)? (?:again|called)", r"i (?:told|gave) you",
                      r"did i (?:ever )?(?:tell|give) you", r"remind me (?:what|which|who|where|when|how)",
                      r"(?:what|which|where|who|when) did i (?:say|tell|mention)", r"i asked you to",
                      r"weisst du noch", r"kennst du (?:noch )?mein(?:e|en)?", r"was (?:habe|hab) ich dir",
                      r"tu te rappelles", r"tu connais encore", r"qu'est-ce que je t'ai", r"todavia sabes",
                      r"que te (?:conte|dije)", r"recuerdame (?:como|cual|que|donde|quien)",
                      r"je te l'avais dit", r"te lo habia dicho", r"hatte ich dir (?:gesagt|erzahlt)",
                      r"(?:hast|hattest) du (?:\w+ ){0,3}gespeichert", r"tu as (?:\w+ ){0,3}enregistre",
                      r"tienes (?:\w+ ){0,3}guardad[oa]",
                      # "what was my X again?" in German, French and Spanish.
                      r"wie (?:war|ist|lautet|hiess) (?:noch(?:mal| mal)?|nochmal|gleich)\b.{0,40}"
                      r"\bmein(?:e|en|em|er|es)?",
                      r"(?:was|wie|wo) war (?:noch(?:mal)? )?mein(?:e|en)? \w+(?: \w+)? (?:noch(?:mal)?|gleich)",
                      r"c'(?:etait|est) quoi (?:deja )?(?:mon|ma|mes) \w+(?: \w+){0,3} deja",
                      r"c'(?:etait|est) quoi deja\b.{0,40}\b(?:mon|ma|mes)",
                      r"c'etait quoi (?:mon|ma|mes)", r"quel(?:le)? (?:etait|est) deja (?:mon|ma)",
                      r"(?:cual|que|donde|como|cuando) era\b.{0,40}\bmis?",
                      r"(?:cual|que) es mi \w+(?: \w+){0,3} otra vez"),
    "artifact": _cue(r"artifacts?", r"artefakte?n?", r"artefacts?", r"artefactos?", r"saved notes", r"saved \w+",
                     r"my notes", r"gespeichert(?:e|en)?", r"enregistree?s?", r"guardad[oa]s?", r"my (?:\w+ )?note",
                     r"(?:which|what|welche|quelles|que|cuales) (?:notes|notizen|notas)"
                     r"(?! (?:go|are in|make up|form|of|in a|in the|does|do)\b)",
                     r"(?<=die )notiz (?:mit|uber|zu|zum|zur|vom)", r"(?<=la )note (?:avec|sur|de|du)",
                     r"(?<=la )nota (?:con|sobre|de|del)",
                     r"(?<=the |. a )note (?:about|on|called|named|with)", r"i(?:'ve| have)? saved", r"you saved",
                     r"meine notiz(?:en)?", r"notiz (?:zu|uber|zum|zur)", r"gespeichert habe", r"ma note",
                     r"mes notes", r"j'ai enregistre", r"mi nota", r"mis notas",
                     r"mis (?:\w+ ){1,2}notas", r"mes (?:\w+ ){1,2}notes", r"meine (?:\w+ ){1,2}notizen", r"que guarde",
                     r"he guardado"),
    # The speaker's own memory: "I can't remember", "ich komme nicht auf", "forget it".
    "own_memory": _cue(r"i can'?t remember", r"i don'?t remember", r"i forgot", r"help me remember", r"forget it",
                       r"forget what i (?:asked|just said|wrote|typed)", r"refresh my memory",
                       r"never ?mind", r"vergiss es", r"laisse tomber", r"olvidalo", r"i keep forgetting",
                       r"ich vergesse", r"j'oublie", r"se me olvida", r"my memory is", r"mein gedachtnis wird",
                       r"ma memoire (?:baisse|flanche)", r"mi memoria (?:esta|empeora)", r"between chats",
                       r"zwischen chats", r"entre (?:les )?conversations", r"d'une conversation",
                       r"entre conversaciones", r"remember when", r"(?<=to )remember", r"ich komme nicht",
                       r"ich erinnere mich nicht", r"zu merken", r"je n'arrive (?:pas|plus) a me souvenir",
                       r"pour retenir", r"(?<=a )retenir", r"no me acuerdo", r"para recordar",
                       r"how (?:do|can|should) (?:i|you|we|one) (?:better )?remember",
                       r"tips? (?:to|for) remember(?:ing)?",
                       r"wie (?:kann|soll) ich mir\b.{0,30}\bmerken", r"comment (?:retenir|me souvenir|memoriser)",
                       r"como (?:recordar|memorizar|me acuerdo)"),
    # Software talk in general (learning a language, open-source alternatives): advice (chat), even when a
    # language or "code" is named.
    "tech_talk": _cue(r"(?:hard|easy|difficult|tough|worth it|fun) to learn", r"worth learning", r"should i learn",
                          r"learn (?:first|next)", r"(?:schwer|einfach|leicht|schwierig) zu lernen",
                          r"lohnt (?:es )?sich,? \w+ zu lernen", r"soll ich \w+ lernen",
                          r"(?:difficile|facile|dur) a apprendre", r"vaut (?:le coup|la peine) d'apprendre",
                          r"je devrais apprendre", r"(?:dificil|facil) de aprender", r"vale la pena aprender",
                          r"deberia aprender", r"open source", r"open-source", r"codigo abierto",
                          r"code source ouvert", r"logiciels? libres?", r"alternatives? (?:to|zu|a)\b"),
    # Code: language and tool names, code words.
    "code_word": _cue(r"python", r"javascript", r"typescript", r"java", r"rust", r"golang", r"c\+\+", r"c#",
                      r"kotlin", r"swift", r"php", r"ruby", r"haskell", r"lua", r"perl", r"scala", r"sql", r"regex",
                      r"regexp", r"regular expression", r"regulare?n? ausdruck", r"expression reguliere",
                      r"expresion regular", r"bash", r"shell", r"powershell", r"zsh", r"git",
                      r"docker(?:file|-compose)?", r"kubernetes", r"nginx", r"css", r"html", r"react", r"vue",
                      r"django", r"flask", r"fastapi", r"pandas", r"numpy", r"jest", r"pytest", r"selenium",
                      r"playwright", r"puppeteer", r"cypress", r"pyautogui", r"autohotkey", r"xdotool", r"tkinter",
                      r"pygame", r"electron", r"api", r"endpoint", r"function", r"funktion", r"fonction", r"funcion",
                      r"class", r"method", r"methode", r"metodo", r"variable", r"loop", r"schleife", r"boucle",
                      r"bucle", r"script", r"skript", r"compil(?:e|er|es|ed|ing)", r"debug(?:ging|ger)?",
                      r"refactor(?:ing|ed)?", r"unit tests?", r"(?<!zip )(?<!pin )(?<!postal )code(?! postal)",
                      r"codigo(?! postal| abierto)", r"snippet", r"algorithm", r"linked list", r"makefile", r"cron",
                      r"commit", r"crontab", r"cron ?jobs?", r"port \d+", r"terminal command", r"command line", r"cli",
                      r"(?:linux|unix|terminal|shell|bash|cmd|powershell) (?:command|befehl)",
                      r"(?:commande|comando|befehl|kommando)s? (?:linux|unix|terminal|shell|bash|cmd|powershell)",
                      r"use(?:effect|state|memo|ref|callback|context|reducer)",
                      r"one-liner",
                      r"einzeiler", r"js", r"node(?:js)?", r"vanilla", r"puerto \d+", r"porte? \d+", r"pip", r"npm",
                      r"apt(?:-get)?", r"brew (?:install|update|upgrade|uninstall|services|cask|doctor|list)",
                      r"homebrew", r"conda", r"venv", r"virtualenv", r"package manager", r"(?<=in )go",
                      r"(?<=en )go", r"go (?:http|server|program|function|code|struct)", r"json", r"yaml", r"csv",
                      r"vba",
                      r"macro", r"async", r"await", r"div", r"component", r"komponente", r"composant",
                      r"componente", r"tuple", r"list comprehension", r"dictionary", r"array", r"string",
                      r"integer", r"boolean", r"null", r"undefined", r"segmentation fault", r"traceback",
                      r"exception", r"stack ?trace", r"keyerror", r"typeerror", r"valueerror", r"syntaxerror",
                      r"(?:zerodivision|index|attribute|name|import|modulenotfound|filenotfound|recursion|runtime|"
                      r"assertion|unicodedecode|permission|overflow)error",
                      r"nullpointer(?:exception)?", r"query", r"requete", r"consulta", r"abfrage", r"workflow",
                      r"github actions", r"bookmarklet", r"userscript", r"onclick", r"handler", r"grep", r"sed", r"awk",
                      r"curl", r"wget", r"chmod", r"chown", r"ssh", r"scp", r"rsync", r"sudo", r"jq", r"cmake", r"gcc",
                      r"javac", r"express(?:js)? server", r"node server", r"batch file", r"shell script", r"pynput",
                      r"pywinauto", r"pyqt[456]?", r"pyside[26]?", r"qt", r"qpushbutton", r"qlineedit", r"qwidget",
                      r"qscrollarea", r"wxpython", r"gtk[234]?", r"sikulix?", r"robotjs", r"applescript", r"win32api",
                      r"win32gui", r"pytesseract", r"tesseract", r"opencv", r"cv2", r"mss", r"keyboard module",
                      r"webdriver", r"jquery", r"xpath", r"kubectl", r"terraform", r"ansible", r"systemd",
                      r"matplotlib", r"sqlalchemy", r"apps script", r"listener", r"event listener", r"callback",
                      r"programmatically", r"browserwindow", r"element", r"locateonscreen", r"keypress",
                      r"keystrokes?",
                      r"(?:write|make|build|code) (?:me )?(?:a|an) (?:small |simple |little |quick |short )?"
                      r"(?:program|programme|console app|cli tool)",
                      r"schreib(?:e)? (?:mir )?ein (?:kleines |einfaches |kurzes )?programm",
                      r"ecri(?:s|vez) (?:moi )?un (?:petit |simple )?programme",
                      r"escribe(?:me)? un (?:pequeno |simple )?programa"),
    "code_syntax": _CodeSyntax(),
    # Looking at the user's own screen now.
    "observe": _cue(r"on my screen", r"my screen", r"my second (?:screen|monitor)", r"my monitor", r"my desktop",
                    r"my terminal", r"my browser", r"i have open", r"that's open", r"that is open",
                    r"currently open", r"currently", r"look at", r"take a look", r"glance at",
                    r"peek at", r"what do you see(?= on| in my| there| here| now| right|\s*\?|\s*$)", r"can you see",
                    r"read (?:me|the|what)", r"take a screenshot", r"mach (?:einen|ein) (?:screenshot|bildschirmfoto)",
                    r"fais une capture", r"haz una captura",
                    r"(?:this|that) (?:app|window|popup|button|icon|dialog|error|message|page|site|program|"
                    r"notification)", r"cette (?:appli|application|fenetre|erreur|page|icone|notification)",
                    r"quelle appli", r"diese[rsn]? (?:app|fenster|fehler|seite|meldung)", r"(?<=das )fur eine",
                    r"esta (?:app|aplicacion|ventana|pagina|notificacion)", r"este (?:error|boton|icono|mensaje)",
                    r"que aplicacion", r"check (?:my|the|if|whether)",
                    r"what (?:app|window|program|site|page|error|popup|tab) is (?:this|that|open)",
                    r"what does (?:the|my|this|that)\b.{0,40}\bsay", r"on (?:the )?screen", r"(?<=a )l'ecran",
                    r"am bildschirm",
                    r"(?<=en )pantalla", r"(?<=en la )pantalla", r"meines bildschirms", r"ouverte?s? (?:dans|sur)",
                    r"offen ist",
                    r"abiert[oa]s? en", r"see if (?:there|the|my|it|i)", r"schau,? ob", r"regarde s'il", r"mira si",
                    r"is (?:the|my) \w+ still",
                    r"what does (?:the|my|this|that) \w+ say", r"what's that", r"my taskbar", r"meiner taskleiste",
                    r"ma barre des taches", r"mi barra de tareas", r"am i on", r"bin ich gerade",
                    r"je suis sur quel", r"estoy ahora", r"progress bar", r"fortschrittsbalken",
                    r"barre de progression", r"barra de progreso", r"does my \w+ show", r"zeigt mein(?:e|em|en)?",
                    r"affiche mon", r"muestra mi", r"comprueba", r"comprobar si", r"revisa", r"verifie(?:r|z|s)?",
                    r"prufe?", r"schau nach", r"is (?:there|it) (?:still )?(?:open|running|visible)",
                    r"auf meinem (?:bildschirm|monitor|desktop)", r"mein(?:em|en)? (?:bildschirm|terminal|browser)",
                    r"offen habe", r"schau (?:dir|mal|auf|in|nach)", r"guck (?:mal|dir|auf|in)",
                    r"siehst du(?! (?:das|es) (?:auch |genauso |ahnlich |anders )?(?:so|anders|genauso|ahnlich)\b)",
                    r"lies (?:mir|den|die|das)", r"blick", r"nachsehen", r"sur mon ecran", r"mon ecran",
                    r"mon terminal", r"mon navigateur", r"j'ai ouvert", r"regarde (?:mon|ma|mes|le|la|les|si|dans|ce)",
                    r"tu vois(?! (?:ce que je veux dire|le genre|ce que je dis))", r"vois-tu", r"lis-moi",
                    r"lis (?:le|la|l'|mon|ma|ce qui)", r"jette un",
                    r"(?<=en )ce moment", r"mi pantalla", r"mi terminal", r"mi navegador",
                    r"tengo abiert[oa]s?", r"mira (?:mi|mis|la|el|los|las|si|en|lo)", r"ves", r"leeme",
                    r"lee (?:el|la|lo|mi)", r"echale",
                    r"sehen,? ob", r"voir si", r"ver si", r"(?:sont|est) ouverte?s?", r"abiert[oa]s? en mi",
                    r"(?:is|are) (?:open|showing|on screen)", r"au premier plan", r"(?<=en )primer plano",
                    r"im vordergrund",
                    r"zeigt mir", r"m'affiche", r"me (?:esta )?(?:muestra|mostrando)",
                    r"(?:habe|hab) ich (?:\w+ ){0,4}offen", r"im (?:editor|browser|terminal|outlook|explorer)",
                    r"(?:gerade )?(?:aufgegangen|aufgepoppt|erschienen)", r"auf welcher seite ich",
                    r"(?:auf|in) der ich (?:gerade )?bin", r"dans mon (?:navigateur|terminal|editeur|outlook)",
                    r"vient de s'(?:afficher|ouvrir)", r"(?:est|sont) affichee?s?",
                    r"sur (?:quel|quelle) (?:site|page)",
                    r"sur laquelle je suis", r"(?<=en )mi (?:navegador|terminal|editor|outlook)",
                    r"acaba de (?:salir|abrir(?:se)?|aparecer)", r"se acaba de abrir", r"(?:que|cual) pagina estoy",
                    r"(?<=la )que estoy", r"i'?m (?:on|in|watching|looking at)", r"just popped up", r"popped up",
                    r"(?<=, )(?:regarde|mira|schau)(?=\s*$)",
                    r"(?:unten|oben) (?:rechts|links)", r"(?<=en )(?:bas|haut) a (?:droite|gauche)",
                    r"(?:abajo|arriba) a la (?:derecha|izquierda)", r"(?:bottom|top)[- ](?:right|left)",
                    r"showing (?:in|on) my", r"(?:is|are) showing", r"was (?:da |dort |im |in der |in dem )?\S+ steht",
                    r"was (?:da|dort) steht", r"(?<=de la )pantalla", r"(?<=de l')ecran",
                    r"(?:page|fenetre|onglet|appli) (?:que j'ai|qui est) ouverte?",
                    r"(?:pagina|ventana|pestana) que (?:tengo|he) abiert[oa]",
                    r"(?:page|window|tab) (?:i have|i've got|that i) open(?:ed)?",
                    r"(?:ma boite de reception|mi bandeja de entrada|meinem posteingang|my inbox)",
                    r"(?<=[?!.] )(?:regarde|mira|schau|look)(?=\s*$)",
                    r"have a (?:quick )?look", r"schau (?:bitte |mal )?nach", r"echale un (?:ojo|vistazo)",
                    r"(?:download|upload|render|backup|export|install(?:ation)?|update|scan|copy|transfer|sync)"
                    r"\b.{0,30}\b(?:finished|done|complete|completed|over|still running)",
                    r"(?:download|upload|render|backup|export|installation|update|scan|kopiervorgang|sicherung)"
                    r"\b.{0,30}\b(?:fertig|abgeschlossen|durch)",
                    r"(?:telechargement|rendu|sauvegarde|export|installation|mise a jour|copie|analyse)"
                    r"\b.{0,30}\b(?:fini|finie|termine|terminee|acheve)",
                    r"(?:descarga|subida|renderizado|copia de seguridad|exportacion|instalacion|actualizacion|copia)"
                    r"\b.{0,30}\b(?:termin\w*|acab\w*|complet\w*|list[oa])",
                    r"(?:is|are) there (?:a|an|any) (?:popup|pop-up|dialog|notification|error|alert|prompt)"
                    r"(?! blocker)",
                    r"il y a (?:un|une) (?:popup|pop-up|fenetre|notification|alerte|message d'erreur)",
                    r"hay (?:algun|alguna|un|una) (?:popup|pop-up|ventana|notificacion|aviso|alerta)",
                    r"(?:ist|gibt es) (?:da )?(?:ein|eine|einen) (?:popup|pop-up|dialog|meldung|hinweis)"),
    # What the user is doing right now on this machine.
    # "I'm on the checkout page", not "I'm on a budget".
    "doing_now": _cue(r"i'?m (?:watching|editing|presenting|looking at|reading|playing|working on|writing)",
                      r"i'?m on (?:this|that|the|a|my) (?:\S+ )?(?:page|site|website|tab|screen|window|app|call|"
                      r"meeting|form|step)",
                      r"i am (?:watching|editing|presenting|looking at|reading|playing|on)", r"ich gerade",
                      r"gerade (?:bearbeite|schaue|zeige|lese|spiele)", r"que je (?:regarde|modifie|presente|lis)",
                      r"(?<=en )train de", r"que estoy (?:viendo|editando|presentando|leyendo)",
                      r"estoy (?:viendo|editando)"),
    "now": _cue(r"right now", r"currently", r"at the moment", r"gerade", r"im moment", r"jetzt gerade",
                r"(?<=en )ce moment", r"actuellement", r"ahora mismo", r"(?<=en )este momento", r"ahora"),
    # The time or weather somewhere: "what time is it in Tokyo right now" is no look at the screen.
    "clock": _cue(r"what time is it", r"what'?s the time", r"wie spat ist es", r"wie viel uhr", r"wieviel uhr",
                  r"quelle heure", r"que hora es", r"time zone", r"zeitzone", r"fuseau horaire", r"zona horaria",
                  r"weather", r"wetter", r"meteo", r"que tiempo hace", r"il fait (?:beau|froid|chaud)",
                  r"what'?s the date", r"quel jour", r"welcher tag", r"que dia es"),
    "why": _Start(r"(?:why|how come|warum|wieso|weshalb|pourquoi|por que|porque)\b"),
    "capability": _cue(r"are you able", r"can you even", r"is it possible for you", r"in theory",
                       r"can you see (?:images|pictures|photos|me|videos)", r"do you see me",
                       r"do you have (?:the ability|access)", r"bist du in der lage", r"ist es dir moglich",
                       r"es-tu capable", r"tu es capable", r"eres capaz", r"tienes acceso",
                       r"(?:can|could) (?:you|u) (?:actually|really)",
                       r"(?:kannst|konntest) du (?:eigentlich|uberhaupt)",
                       r"t'es capable", r"tu sais (?:faire|lire|dessiner)", r"(?:peux-tu|tu peux) vraiment",
                       r"(?:puedes|podrias) (?:realmente|de verdad)", r"(?<=de )verdad puedes", r"realmente puedes",
                       r"or (?:is|are) (?:that|it|this) (?:just|only|all)", r"oder ist das (?:nur|bloss|alles)",
                       r"ou c'est (?:juste|que|seulement)", r"o es (?:solo|puro|pura)",
                       r"(?:can|could) (?:you|u)(?: also| even)? (?:draw|paint)(?=\s*(?:\?|$|,|or\b))",
                       r"(?:make|create|generate|draw) (?:images|pictures|drawings|logos)(?=\s*(?:\?|or\b|too\s*\?))",
                       r"(?:bilder|logos) (?:erstellen|machen|malen|generieren|entwerfen)(?=\s*\?)",
                       r"(?:creer|generer|faire|dessiner) des (?:images|dessins|logos|illustrations)(?=\s*\?)",
                       r"(?:crear|generar|hacer|dibujar) (?:imagenes|dibujos|logos|ilustraciones)(?=\s*\?)"),
    # Parts of a desktop that the user may ask about as they are now.
    "ui_element": _cue(r"dialog(?: box)?", r"popup", r"pop-up", r"notification", r"title bar", r"status bar",
                       r"system tray", r"tray", r"taskbar", r"window", r"tabs?", r"terminal", r"panel", r"banner",
                       r"tooltip", r"progress bar", r"foreground", r"in focus", r"installer", r"benachrichtigung",
                       r"titelleiste", r"statusleiste", r"taskleiste", r"fenster", r"vordergrund",
                       r"fortschrittsbalken",
                       r"boite de dialogue", r"barre d'etat", r"barre des taches", r"fenetre", r"onglets?",
                       r"premier plan", r"dialogo", r"ventana emergente", r"notificacion", r"barra de estado",
                       r"barra de tareas", r"ventana", r"pestanas?", r"primer plano"),
    # Something is wrong with the machine or an account: advice, not a look at the screen.
    "trouble": _cue(r"virus(?:es)?", r"malware", r"hacked", r"scam", r"spam", r"by itself", r"on its own",
                    r"von selbst", r"von alleine", r"gehackt", r"tout seul", r"pirate", r"solo\b(?=.{0,20}\?)",
                    r"hackeado", r"estafa", r"arnaque", r"betrug"),
    # Screens as things: buying, fixing, health.
    "screen_thing": _cue(r"oled", r"lcd", r"hdmi", r"resolution", r"refresh rate", r"hz", r"cracked", r"broken",
                         r"screen time", r"screen protector", r"flicker(?:s|ing)?", r"brightness", r"pixels?", r"1080p",
                         r"1440p",
                         r"4k[- ]?(?:monitor|bildschirm|tv|fernseher|ecran|pantalla|display|screen|television|tele)",
                         r"bildschirmzeit", r"flackert", r"gesprungen",
                         r"ecran (?:oled|tactile)", r"scintille", r"fissure", r"temps d'ecran", r"parpadea", r"rota",
                         r"tiempo de pantalla", r"tactil", r"touchscreen", r"tv", r"tele", r"dim", r"dark", r"black",
                         r"yellow", r"turns? off", r"goes? to sleep", r"line across", r"washed out", r"no signal",
                         r"went black", r"blank", r"dead pixels?", r"battery", r"dunkel", r"schwarz", r"gelb",
                         r"geht aus", r"akku(?:betrieb)?", r"sombre", r"noir", r"jaune", r"s'eteint", r"batterie",
                         r"oscura", r"negra", r"amarilla", r"se apaga", r"bateria", r"kaputt", r"casse", r"roto",
                         r"rompio", r"rompi", r"zerbrochen", r"beschadigt", r"endommage", r"danado"),
    # Questions in general.
    "question": _Question(r"(?:why|what|when|where|which|who|how|is|are|does|do|should|can i|warum|was|wann|wo|"
                          r"welche|wer|wie|ist|sind|soll|pourquoi|que|quoi|quand|ou|quel|qui|comment|est-ce|"
                          r"por que|cuando|donde|cual|quien|como)\b"),
}


def cue_flags(unquoted: str, words: frozenset[str]) -> list[str]:
    """The cues that fire for this text; `words` is `matching.words_of(unquoted)`."""
    return ["&" + name for name, cue in CUES.items() if cue.search(unquoted, words)]
