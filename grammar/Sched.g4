// The grammar of .sched programs. The C# parser in src/Sched.Language/Syntax/Generated is
// produced from this file by `grammar/generate` (antlr-ng); never edit the generated files.
grammar Sched;

compilationUnit : declaration* EOF ;

declaration
    : targetDeclaration
    | programDeclaration
    | useDeclaration
    ;

// use target nvidia.h100;  — a preset of the target library
useDeclaration : 'use' 'target' name=qualifiedName ';' ;

qualifiedName : IDENTIFIER (('.' | '-') IDENTIFIER)* ;

// target Name { clock 1 GHz; tile 64; sram sbuf { ... } matrix mxu[2] { ... } link a -> b { ... } link lpu ring { ... } }
targetDeclaration : 'target' name=IDENTIFIER '{' targetMember* '}' ;

targetMember
    : name=IDENTIFIER value=expression ';'                                              # settingMember
    | kind=IDENTIFIER name=IDENTIFIER ('[' count=expression ']')? '{' property* '}'     # componentMember
    | 'link' from=linkEnd arrow=('->' | '<->') to=linkEnd '{' property* '}'             # linkMember
    // a topology of a group of chips: link lpu ring { … }, torus(4, 4), all (fully connected), switch
    | 'link' group=IDENTIFIER shape=IDENTIFIER ('(' expression (',' expression)* ')')?
        '{' property* '}'                                                                # topologyMember
    | 'chip' name=IDENTIFIER '[' count=expression ']' ':' preset=qualifiedName ';'      # chipMember
    ;

// sbuf, or one chip of a group: lpu[3]
linkEnd : name=IDENTIFIER ('[' index=expression ']')? ;

property : name=IDENTIFIER '=' value=expression ('@' dtype=IDENTIFIER)? ';' ;

// program Name(p = 1, ...) on Target { statements }
programDeclaration
    : 'program' name=IDENTIFIER ('(' parameter (',' parameter)* ')')? 'on' target=qualifiedName block ;

parameter : name=IDENTIFIER '=' value=expression ;

block : '{' statement* '}' ;

statement
    : kind=('input' | 'weight' | 'cache') name=IDENTIFIER ':' tensorType placement? ';'   # tensorStatement
    | 'let' name=IDENTIFIER '=' value=expression placement? ';'                   # letStatement
    | name=IDENTIFIER '=' value=expression placement? ';'                         # assignStatement
    | name=IDENTIFIER '[' index=expression ']' '=' value=expression ';'           # layerAssignStatement
    | 'phase' name=IDENTIFIER block                                               # phaseStatement
    | 'block' name=IDENTIFIER '(' (IDENTIFIER (',' IDENTIFIER)*)? ')'
        '{' statement* 'return' result=expression ';' '}'                         # blockStatement
    | 'output' name=IDENTIFIER ';'                                                # outputStatement
    | 'for' variable=IDENTIFIER 'in' lower=expression '..' upper=expression block # forStatement
    | 'repeat' count=expression block                                             # repeatStatement
    | 'assert' condition=expression ';'                                           # assertStatement
    | 'predict' measured=expression 'against' published=expression ';'            # predictStatement
    ;

tensorType : dtype=IDENTIFIER '[' expression (',' expression)* ']' ;

// in hbm, in one chip of a group: in lpu[3], or a stacked tensor's layers one a chip in turn: in lpu[*]
placement : 'in' memory=IDENTIFIER ('[' (index=expression | each='*') ']')? ;

expression
    : callee=IDENTIFIER '(' (argument (',' argument)*)? ')'
        ('on' device=IDENTIFIER ('[' chip=expression ']')?)?                              # callExpression
    | target=expression '[' index=expression ']'                                         # indexExpression
    | '(' inner=expression ')'                                                           # parenthesizedExpression
    | op='-' operand=expression                                                          # negationExpression
    | left=expression op=('*' | '/' | '%') right=expression                              # binaryExpression
    | left=expression op=('+' | '-') right=expression                                    # binaryExpression
    | left=expression op=('<' | '<=' | '>' | '>=' | '==' | '!=') right=expression        # binaryExpression
    | NUMBER unit?                                                                       # literalExpression
    | IDENTIFIER                                                                         # nameExpression
    ;

// An operand, or a named setting of the operation: attention(q, k, v, head_dim = 128)
argument : (name=IDENTIFIER '=')? value=expression ;

// A unit such as MB, TB/s, FLOP/s or pJ/bit; its text is parsed by Sched.Language.Units.
unit : IDENTIFIER ('/' IDENTIFIER)? ;

NUMBER     : [0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? ;
IDENTIFIER : [a-zA-Z_] [a-zA-Z_0-9]* ;
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WHITESPACE    : [ \t\r\n]+ -> channel(HIDDEN) ;
ERROR_CHARACTER : . ;
